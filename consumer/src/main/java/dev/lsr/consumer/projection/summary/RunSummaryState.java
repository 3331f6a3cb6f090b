package dev.lsr.consumer.projection.summary;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.RunSequencer;
import dev.lsr.consumer.projection.TokenUsage;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The serialisable accumulator behind a {@link RunSummary}: what {@link RunSummaryFold} needs to go on
 * folding a run's records after a restart (an analytics job keeps it in a compacted topic). The
 * inter-chunk gaps are an HdrHistogram (microseconds, 2 significant digits) in its compressed encoding,
 * Base64; everything else is small and bounded by the run's steps and tool calls.
 *
 * <p>{@code positions} is the run's order as the fold's {@link RunSequencer} needs it after a restart,
 * in the five numbers the fold has always saved ({@link Positions}); the layout, and so the bytes of a
 * saved state, are unchanged since version 1.
 */
public record RunSummaryState(
        @JsonProperty("version") int version,
        @JsonProperty("run_id") String runId,
        @JsonProperty("agent_id") String agentId,
        @JsonProperty("conversation_id") String conversationId,
        @JsonProperty("positions") Positions positions,
        @JsonProperty("attached_at") Instant attachedAt,
        @JsonProperty("first_record_at") Instant firstRecordAt,
        @JsonProperty("first_content_at") Instant firstContentAt,
        @JsonProperty("last_chunk_at") Instant lastChunkAt,
        @JsonProperty("finished_at") Instant finishedAt,
        @JsonProperty("terminal") RecordType terminal,
        @JsonProperty("finished_status") String finishedStatus,
        @JsonProperty("finished_stop_reason") String finishedStopReason,
        @JsonProperty("stop_reason") String stopReason,
        @JsonProperty("error_type") String errorType,
        @JsonProperty("chunk_count") long chunkCount,
        @JsonProperty("byte_count") long byteCount,
        @JsonProperty("gap_histogram") String gapHistogram,
        @JsonProperty("max_gap_micros") long maxGapMicros,
        @JsonProperty("step_ids") List<String> stepIds,
        @JsonProperty("tool_call_names") Map<String, String> toolCallNames,
        @JsonProperty("tool_error_count") long toolErrorCount,
        @JsonProperty("usage") TokenUsage usage,
        @JsonProperty("resume_count") int resumeCount,
        @JsonProperty("gap_count") long gapCount,
        @JsonProperty("missing_positions") long missingPositions,
        @JsonProperty("duplicate_count") long duplicateCount,
        @JsonProperty("rejected_chunk_count") long rejectedChunkCount,
        @JsonProperty("unreadable_record_count") long unreadableRecordCount,
        @JsonProperty("retry_count") long retryCount) {

    /** The layout version of this state; a fold refuses newer ones. */
    public static final int VERSION = 1;

    /**
     * The run's order as saved: the highest chunk position seen, and the last visible seq with the
     * seq-less chunks since, which a recorded gap moves to its end. That is what a fold's
     * {@link RunSequencer} needs to go on finding repeats and gaps; the rest of its state (recorder
     * record ids, rejections since the high-water mark, the attach point, the end seen) is not kept:
     * the fold takes every recorder record it is given, and a rejection right before a restart may
     * then count as a gap, as before.
     *
     * @param highestSeq     the highest position seen, its seq
     * @param highestSub     the highest position seen, its sub
     * @param anySeen        whether any chunk position was seen
     * @param lastVisibleSeq the last visible seq (0 before any), or the end of a recorded gap past it
     * @param seqLessSince   seq-less chunks since the last visible seq
     */
    public record Positions(
            @JsonProperty("highest_seq") long highestSeq,
            @JsonProperty("highest_sub") int highestSub,
            @JsonProperty("any_seen") boolean anySeen,
            @JsonProperty("last_visible_seq") long lastVisibleSeq,
            @JsonProperty("seq_less_since") int seqLessSince) {

        /** A run before its first chunk. */
        public static final Positions EMPTY = new Positions(0, 0, false, 0, 0);

        /** The saved form of a sequencer's state. */
        public static Positions of(RunSequencer.State state) {
            Position highest = state.highWater() == null ? Position.START : Position.parse(state.highWater());
            boolean anySeen = state.highWater() != null;
            long gapEnd = state.recordedGapThrough();
            boolean movedByRecordedGap = gapEnd != TO_THE_END && gapEnd + 1 > highest.nextNumber();
            return movedByRecordedGap
                    ? new Positions(highest.seq(), highest.sub(), anySeen, gapEnd, 0)
                    : new Positions(highest.seq(), highest.sub(), anySeen, highest.seq(), highest.sub());
        }

        /** The sequencer state to go on from. */
        public RunSequencer.State toSequencerState() {
            String highWater = anySeen ? new Position(highestSeq, highestSub).toString() : null;
            boolean movedByRecordedGap = lastVisibleSeq != highestSeq || seqLessSince != highestSub;
            return new RunSequencer.State(
                    highWater, 0, 0, movedByRecordedGap ? lastVisibleSeq : 0, false, null, List.of());
        }

        /** A recorded gap to the end of the run: no seq follows it, so nothing to save. */
        private static final long TO_THE_END = Long.MAX_VALUE - 1;
    }
}
