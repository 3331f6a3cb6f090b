package dev.lsr.consumer.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Json;
import dev.lsr.consumer.projection.summary.RunSummaries;
import dev.lsr.consumer.projection.transcript.TranscriptText;
import dev.lsr.consumer.projection.transcript.Transcripts;
import dev.lsr.consumer.testing.Approvals;
import dev.lsr.fixtures.LettaFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Approval files ({@code src/test/resources/approved/}) for every fixture run: its transcript text and its
 * run summary JSON, as today's code renders the run's chunk-log records (synthetic envelopes: attached,
 * the fixture's chunks one every 50 ms, finished as the recorder would write it). They pin down the whole
 * path from records to output, so a refactoring of the reader and the folds shows every changed line.
 *
 * <p>The summary is the summary topic's JSON value (field order as written), pretty-printed for a readable
 * diff. An intended change is approved with {@code -Dapproval.update=true} (see {@link Approvals}).
 */
class FixtureApprovalsTest {

    private static final Instant T0 = Instant.parse("2026-03-14T17:32:11Z");
    private static final Duration STEP = Duration.ofMillis(50);

    /**
     * How a fixture's run ends in the log: the recorder's {@code run.finished} (stop reason, Letta's status),
     * or none for a run whose connection was cut and not yet resumed.
     */
    private record Ending(String stopReason, String status) {
        static final Ending NONE = new Ending(null, null);
    }

    private static final Map<String, Ending> ENDINGS = Map.of(
            "01-simple-reply", new Ending("end_turn", "completed"),
            "02-tool-call-two-steps", new Ending("end_turn", "completed"),
            "03-parallel-approvals", new Ending("requires_approval", "completed"),
            "04-error-mid-run", new Ending("llm_api_error", "failed"),
            "05-long-run-with-pings", new Ending("end_turn", "completed"),
            "06-cancelled-mid-way", new Ending("cancelled", "cancelled"),
            "07a-resume-initial-connection", Ending.NONE,
            "07b-resume-replay-after-150", new Ending("end_turn", "completed"));

    /** Every fixture run alone, and the resume fixture's two connections as one run. */
    static Stream<String> cases() {
        return Stream.concat(LettaFixtures.RUNS.stream(), Stream.of("07-resume"));
    }

    private static List<ChunkLogRecord> records(String fixtureCase) {
        if (fixtureCase.equals("07-resume")) {
            // both connections' frames as received: the replay after 150 repeats what the first one had
            // read past 150, so the folds meet duplicates
            return new SyntheticLog(runIdOf("07a-resume-initial-connection"), T0)
                    .attached()
                    .chunks(LettaFixtures.chunkLines("07a-resume-initial-connection"), STEP)
                    .after(Duration.ofMillis(700))
                    .resumed(1, 150, "eof")
                    .chunks(LettaFixtures.chunkLines("07b-resume-replay-after-150"), STEP)
                    .after(Duration.ofMillis(10))
                    .finished("end_turn", "completed")
                    .records();
        }
        SyntheticLog log = new SyntheticLog(runIdOf(fixtureCase), T0)
                .attached()
                .chunks(LettaFixtures.chunkLines(fixtureCase), STEP);
        Ending ending = ENDINGS.get(fixtureCase);
        if (ending == null) {
            throw new IllegalStateException("no ending for fixture " + fixtureCase + ": add it to ENDINGS");
        }
        return ending == Ending.NONE
                ? log.records()
                : log.after(Duration.ofMillis(10))
                        .finished(ending.stopReason(), ending.status())
                        .records();
    }

    private static String runIdOf(String run) {
        return Fixtures.chunks(run).stream()
                .map(c -> c.json().path("run_id").asText(null))
                .filter(id -> id != null)
                .findFirst()
                .orElseThrow();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void transcriptText(String fixtureCase) {
        String text = new TranscriptText(TranscriptText.DEFAULT_MAX_TOOL_RETURN_CHARS)
                .render(Transcripts.ofRecords(records(fixtureCase)));
        Approvals.verify(fixtureCase + ".transcript.txt", text.endsWith("\n") ? text : text + "\n");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void runSummary(String fixtureCase) throws IOException {
        byte[] value = RunSummaries.toJson(RunSummaries.ofRecords(records(fixtureCase)));
        ObjectNode summary = (ObjectNode) Json.MAPPER.readTree(value);
        // RunSummary keeps tool_calls_by_name in a Map.copyOf, whose iteration order changes from one JVM
        // to the next: sorted here so that the approved file is stable (the topic's bytes are not, today)
        ObjectNode byName = (ObjectNode) summary.get("tool_calls_by_name");
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        byName.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
        byName.removeAll().setAll(sorted);
        String pretty = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(summary);
        Approvals.verify(fixtureCase + ".summary.json", pretty + "\n");
    }

    @Test
    void everyApprovedFileBelongsToAFixtureCase() throws IOException {
        if (Approvals.updating()) {
            return;
        }
        TreeMap<String, Boolean> expected = new TreeMap<>();
        cases().forEach(c -> {
            expected.put(c + ".transcript.txt", true);
            expected.put(c + ".summary.json", true);
        });
        try (Stream<Path> files = Files.list(Approvals.FOLDER)) {
            assertEquals(
                    List.copyOf(expected.keySet()),
                    files.map(p -> p.getFileName().toString())
                            .filter(n -> !n.equals("README.md"))
                            .sorted()
                            .toList(),
                    "an approved file without a fixture case is never checked");
        }
    }
}
