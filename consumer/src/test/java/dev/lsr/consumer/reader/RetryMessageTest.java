package dev.lsr.consumer.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.Json;
import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.SyntheticLog;
import dev.lsr.consumer.projection.lettacode.LettaCodeBuffers;
import dev.lsr.consumer.projection.lettacode.LettaCodeProjection;
import dev.lsr.consumer.projection.lettacode.Options;
import dev.lsr.consumer.projection.summary.RunSummaries;
import dev.lsr.consumer.testing.RecordingListener;
import dev.lsr.fixtures.LettaFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Letta Cloud's {@code retry_message} (a provider retry announced in the stream, protocol §3.8): a chunk
 * like any other for the reader, counted by the run summary, shown by Letta Code as nothing while its
 * cursor moves past it.
 */
class RetryMessageTest {

    private static final String RUN = "02-tool-call-two-steps";
    private static final String RUN_ID = "run-780c4b16-a510-49fa-a2b2-bbd1c38dbe31";
    private static final Pattern SEQ = Pattern.compile("\"seq_id\":(\\d+)");

    @TempDir
    Path dir;

    /** The fixture run with a retry_message as seq 2 after its initial ping, later seqs moved up by one. */
    private static List<String> withRetry() {
        List<String> lines = new ArrayList<>();
        List<String> original = LettaFixtures.chunkLines(RUN);
        lines.add(original.getFirst());
        lines.add("{\"message_type\":\"retry_message\",\"message\":\"Provider overloaded, retrying\",\"retry_kind\":"
                + "\"provider_retry\",\"attempt\":1,\"max_attempts\":3,\"delay_ms\":1000,\"provider\":\"anthropic\","
                + "\"error_code\":\"overloaded_error\",\"run_id\":\"" + RUN_ID
                + "\",\"step_id\":\"step-1\",\"seq_id\":2}");
        for (String line : original.subList(1, original.size())) {
            Matcher seq = SEQ.matcher(line);
            lines.add(seq.find() ? seq.replaceFirst("\"seq_id\":" + (Long.parseLong(seq.group(1)) + 1)) : line);
        }
        return lines;
    }

    @Test
    void aRetryMessageIsReadLikeAnyChunkWithoutAReadProblem() throws IOException {
        RecordingListener listener = new RecordingListener();
        ReplayStats stats = ChunkFileReader.read(
                List.of(Files.write(dir.resolve("retry.jsonl"), withRetry())), RunFilter.all(), listener);

        assertEquals(List.of(), listener.problems);
        assertEquals(0, stats.skipped());
        assertEquals(
                withRetry(), listener.records.stream().map(RunRecord::valueText).toList());
    }

    @Test
    void theRunSummaryCountsRetriesAndSeesNoGap() throws IOException {
        JsonNode summary = Json.MAPPER.readTree(RunSummaries.toJson(
                RunSummaries.ofRecords(new SyntheticLog(RUN_ID, Instant.parse("2026-03-14T17:09:11Z"))
                        .attached()
                        .chunks(withRetry(), Duration.ofMillis(50))
                        .finished("end_turn", "completed")
                        .records())));

        assertEquals(1, summary.path("retry_count").asLong(-1), summary.toString());
        assertEquals(0, summary.get("gap_count").asLong());
        assertEquals(1, summary.get("tool_call_count").asLong());
    }

    @Test
    void lettaCodeShowsNothingForItButMovesItsCursorPastIt() {
        LettaCodeBuffers buffers = LettaCodeProjection.newSession(Options.defaults());
        buffers.drain(
                withRetry().subList(0, 2).stream().map(Chunk::fromJsonLine).toList());

        assertTrue(buffers.lines().isEmpty(), buffers.toJson().toString());
        assertEquals(Long.valueOf(2), buffers.lastDrainResult().lastSeqId());
    }
}
