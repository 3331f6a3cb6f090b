package dev.lsr.consumer.projection.transcript;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lsr.consumer.projection.TokenUsage;
import java.time.Instant;
import java.util.List;

/**
 * The canonical view of one run: its messages in order, how it ended, its usage, and what the log shows
 * about recording it (timing, resumes, gaps and duplicates). Built by {@link TranscriptFold}.
 *
 * @param status       the run status: the server's final status when recorded, else derived (see summary docs)
 * @param stopReason   the last stop reason (or the one the finished record gives), null if none
 * @param stopReasons  every stop_reason chunk in order (a failing run sends two)
 * @param usage        summed usage statistics, null if the run reported none
 */
public record Transcript(
        @JsonProperty("run_id") String runId,
        @JsonProperty("agent_id") String agentId,
        @JsonProperty("conversation_id") String conversationId,
        @JsonProperty("status") String status,
        @JsonProperty("stop_reason") String stopReason,
        @JsonProperty("stop_reasons") List<String> stopReasons,
        @JsonProperty("usage") TokenUsage usage,
        @JsonProperty("timing") Timing timing,
        @JsonProperty("resumes") List<Resume> resumes,
        @JsonProperty("gaps") List<Gap> gaps,
        @JsonProperty("duplicates") List<String> duplicates,
        @JsonProperty("rejected_chunks") int rejectedChunks,
        @JsonProperty("unreadable_records") int unreadableRecords,
        @JsonProperty("messages") List<TranscriptMessage> messages) {

    public Transcript {
        stopReasons = List.copyOf(stopReasons);
        resumes = List.copyOf(resumes);
        gaps = List.copyOf(gaps);
        duplicates = List.copyOf(duplicates);
        messages = List.copyOf(messages);
    }

    /** Recorder receipt times; all null for chunks without envelopes. */
    public record Timing(
            @JsonProperty("attached_at") Instant attachedAt,
            @JsonProperty("first_content_at") Instant firstContentAt,
            @JsonProperty("last_chunk_at") Instant lastChunkAt,
            @JsonProperty("finished_at") Instant finishedAt) {
        public static final Timing UNKNOWN = new Timing(null, null, null, null);
    }

    /** A reconnect of the recorder: attempt number, the cursor it resumed after, why, when. */
    public record Resume(
            @JsonProperty("attempt") int attempt,
            @JsonProperty("starting_after") long startingAfter,
            @JsonProperty("cause") String cause,
            @JsonProperty("at") Instant at) {}

    /**
     * Seqs missing from the log: {@code missing} of them right after position {@code after}, up to
     * {@code before}. {@code cause} is null for a gap the consumer found itself, else the cause of the
     * recorder's {@code run.gap} record ({@code trimmed}, {@code expired}); a recorded gap to the end of
     * the run has {@code missing} -1 and no {@code before}.
     */
    public record Gap(
            @JsonProperty("after") String after,
            @JsonProperty("missing") long missing,
            @JsonProperty("before") String before,
            @JsonProperty("cause") String cause) {

        /** A gap the consumer found itself. */
        public Gap(String after, long missing, String before) {
            this(after, missing, before, null);
        }

        /** True for a gap the recorder recorded ({@code run.gap}). */
        public boolean recorded() {
            return cause != null;
        }
    }
}
