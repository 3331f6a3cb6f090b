package dev.lsr.consumer.reader;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.consumer.testing.RecordingListener;
import dev.lsr.fixtures.LettaFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkFileReaderTest {

    @TempDir
    Path dir;

    private Path file(String name, List<String> lines) throws IOException {
        return Files.write(dir.resolve(name + ".jsonl"), lines);
    }

    private Path fixture(String name) throws IOException {
        return file(name, LettaFixtures.chunkLines(name));
    }

    @Test
    void readsAFixtureFileAsOneRunWithPositionsByTheChunkLogRule() throws IOException {
        RecordingListener listener = new RecordingListener();
        ReplayStats stats = ChunkFileReader.read(List.of(fixture("04-error-mid-run")), RunFilter.all(), listener);

        String run = FixtureLog.originalRunId("04-error-mid-run");
        List<String> positions = listener.recordsOf(run).stream()
                .map(r -> r.position().toString())
                .toList();
        assertEquals(List.of("26", "26.1", "26.2", "29"), positions.subList(positions.size() - 4, positions.size()));
        assertEquals("error", listener.records.getLast().record().envelope().sseEvent());
        assertEquals(RunEnd.Outcome.ENDED_IN_CONTENT, listener.ends.get(run).outcome());
        assertEquals(29, stats.records());
        assertEquals(List.of(), listener.problems);
    }

    @Test
    void successiveFilesAreDrainsOfTheSameRun() throws IOException {
        RecordingListener resumed = new RecordingListener();
        ChunkFileReader.read(
                List.of(fixture("07a-resume-initial-connection"), fixture("07b-resume-replay-after-150")),
                RunFilter.all(),
                resumed);
        RecordingListener whole = new RecordingListener();
        ChunkFileReader.read(List.of(fixture("05-long-run-with-pings")), RunFilter.all(), whole);

        String run = FixtureLog.originalRunId("05-long-run-with-pings");
        List<String> resumedPositions =
                resumed.records.stream().map(r -> r.position().toString()).toList();
        List<String> wholePositions =
                whole.records.stream().map(r -> r.position().toString()).toList();
        assertEquals(wholePositions, resumedPositions);
        assertEquals(RunEnd.Outcome.ENDED_IN_CONTENT, resumed.ends.get(run).outcome());
        assertTrue(resumed.records.getLast().location().source().endsWith("07b-resume-replay-after-150.jsonl"));
        assertEquals(List.of(), resumed.problems);
    }

    /**
     * A second file that is a resume after the first file's last seq: Letta replays the seq-less chunks after that
     * seq (stop_reason, usage_statistics), which the first file may already hold. Where those chunks carry their
     * run id (background mode on Letta Cloud), they keep their positions, so those already read are duplicates,
     * as in the recorder, which numbers seq-less chunks per connection.
     */
    @Test
    void aResumedFileReplayingSeqLessChunksDeliversThemOnce() throws IOException {
        String fixture = "01-simple-reply";
        String run = FixtureLog.originalRunId(fixture);
        List<String> lines = LettaFixtures.chunkLines(fixture).stream()
                .map(line -> withRunId(line, run))
                .toList();
        int stopReason = 0;
        while (!"stop_reason"
                .equals(ChunkPeek.of(lines.get(stopReason).getBytes(StandardCharsets.UTF_8))
                        .messageType())) {
            stopReason++;
        }
        RecordingListener resumed = new RecordingListener();
        ChunkFileReader.read(
                List.of(
                        file("first-connection", lines.subList(0, stopReason + 1)),
                        file("resumed-after-the-last-seq", lines.subList(stopReason, lines.size()))),
                RunFilter.all(),
                resumed);
        RecordingListener whole = new RecordingListener();
        ChunkFileReader.read(List.of(file("whole", lines)), RunFilter.all(), whole);

        assertEquals(
                whole.records.stream().map(r -> r.position().toString()).toList(),
                resumed.records.stream().map(r -> r.position().toString()).toList(),
                "the stop_reason read again is a duplicate, not a new chunk");
        assertEquals(List.of(), resumed.problems);
    }

    /** {@code line} with a {@code run_id} field where it has none ({@code [DONE]} as it is). */
    private static String withRunId(String line, String run) {
        if (!line.startsWith("{") || line.contains("\"run_id\"")) {
            return line;
        }
        return "{\"run_id\":\"" + run + "\"," + line.substring(1);
    }

    @Test
    void aFileThatStopsMidRunIsTruncated() throws IOException {
        RecordingListener listener = new RecordingListener();
        ReplayStats stats =
                ChunkFileReader.read(List.of(fixture("07a-resume-initial-connection")), RunFilter.all(), listener);
        assertEquals(1, stats.truncatedRuns());
        assertEquals(
                ReadProblem.Kind.TRUNCATED_RUN, listener.problems.getFirst().kind());
    }

    @Test
    void badLinesAreReportedWithTheirLineAndSkipped() throws IOException {
        List<String> lines = new ArrayList<>(LettaFixtures.chunkLines("02-tool-call-two-steps"));
        lines.add(3, "{\"message_type\": \"assistant_message\", truncated");
        lines.add(
                5,
                "{\"message_type\":\"mystery\",\"run_id\":\"" + FixtureLog.originalRunId("02-tool-call-two-steps")
                        + "\"}");
        RecordingListener listener = new RecordingListener();
        ReplayStats stats = ChunkFileReader.read(List.of(file("bad", lines)), RunFilter.all(), listener);

        assertEquals(
                List.of(ReadProblem.Kind.MALFORMED_CHUNK, ReadProblem.Kind.UNKNOWN_MESSAGE_TYPE),
                listener.problems.stream().map(ReadProblem::kind).toList());
        assertEquals(4, listener.problems.getFirst().location().offset());
        assertEquals(6, listener.problems.get(1).location().offset());
        assertEquals(2, stats.skipped());
        assertEquals(
                LettaFixtures.chunkLines("02-tool-call-two-steps"),
                listener.records.stream().map(RunRecord::valueText).toList());
    }

    @Test
    void aLineThatIsNotUtf8IsOneMalformedChunkAndTheOthersAreRead() throws IOException {
        List<String> fixture = LettaFixtures.chunkLines("02-tool-call-two-steps");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < fixture.size(); i++) {
            if (i == 3) {
                bytes.write("{\"message_type\":\"assistant_message\",\"content\":\"caf".getBytes(UTF_8));
                bytes.write(0xE9); // Latin-1 é: no UTF-8
                bytes.write("\"}\n".getBytes(UTF_8));
            }
            bytes.write((fixture.get(i) + "\r\n").getBytes(UTF_8));
        }
        Path file = Files.write(dir.resolve("latin1.jsonl"), bytes.toByteArray());
        RecordingListener listener = new RecordingListener();
        ReplayStats stats = ChunkFileReader.read(List.of(file), RunFilter.all(), listener);

        assertEquals(
                List.of(ReadProblem.Kind.MALFORMED_CHUNK),
                listener.problems.stream().map(ReadProblem::kind).toList());
        assertEquals(
                LogLocation.fileLine(file.toString(), 4),
                listener.problems.getFirst().location());
        assertEquals(1, stats.skipped());
        assertEquals(
                fixture, listener.records.stream().map(RunRecord::valueText).toList());
    }
}
