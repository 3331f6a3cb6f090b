package dev.lsr.consumer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Json;
import dev.lsr.consumer.analytics.AgentStats;
import dev.lsr.consumer.projection.Fixtures;
import dev.lsr.consumer.projection.summary.RunSummaries;
import dev.lsr.consumer.projection.summary.RunSummary;
import dev.lsr.consumer.projection.transcript.Transcripts;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.Cli;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code show}, {@code rebuild --format transcript}, {@code summaries} and {@code stats} against a
 * real broker: each prints what the projection makes of the same records.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ProjectionCommandsIT {

    static final List<String> FIXTURES = List.of(
            "01-simple-reply",
            "02-tool-call-two-steps",
            "03-parallel-approvals",
            "04-error-mid-run",
            "05-long-run-with-pings",
            "06-cancelled-mid-way");
    static final Map<String, List<ChunkLogRecord>> RECORDS = new LinkedHashMap<>();

    static KafkaBroker broker;
    static Cli cli;

    @BeforeAll
    static void recordFixtures() {
        String topic = broker.uniqueTopic("projections");
        broker.createTopic(topic, 2);
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            for (String fixture : FIXTURES) {
                List<ChunkLogRecord> records = FixtureLog.of(fixture)
                        .agent(fixture.compareTo("04") < 0 ? "agent-a" : "agent-b")
                        .records();
                RECORDS.put(FixtureLog.originalRunId(fixture), records);
                producer.append(records);
            }
        }
        cli = Cli.against(broker.bootstrapServers(), topic);
    }

    @Test
    void showPrintsTheRunsTranscriptAsText() {
        String run = FixtureLog.originalRunId("02-tool-call-two-steps");
        Cli.Result result = cli.run("show", run);

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(Transcripts.toText(Transcripts.ofRecords(RECORDS.get(run))), result.out());
        assertTrue(result.out().startsWith("Run " + run), result.out());
    }

    @Test
    void showPrintsARecordedGapWhereItHappenedAndSummariesCountIt() {
        String topic = broker.uniqueTopic("recorded-gap");
        broker.createTopic(topic, 1);
        String run = FixtureLog.originalRunId("01-simple-reply");
        List<String> lines = dev.lsr.fixtures.LettaFixtures.chunkLines("01-simple-reply");
        List<ChunkLogRecord> records = new dev.lsr.consumer.projection.SyntheticLog(
                        run, java.time.Instant.parse("2026-03-14T17:32:11Z"))
                .attached()
                .chunks(lines.subList(0, 10), java.time.Duration.ofMillis(50))
                .gap(11, 20L, "trimmed")
                .chunks(lines.subList(20, lines.size()), java.time.Duration.ofMillis(50))
                .finished("end_turn", "completed")
                .records();
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            producer.append(records);
        }
        Cli gapCli = Cli.against(broker.bootstrapServers(), topic);

        Cli.Result shown = gapCli.run("show", run);
        assertEquals(ExitCodes.PROBLEMS, shown.exitCode(), shown.toString());
        assertTrue(shown.out().contains("1 gap (10 seqs missing)"), shown.out());
        assertTrue(shown.out().contains("── gap · seqs 11 .. 20 missing ──"), shown.out());
        assertTrue(shown.err().contains("missing seqs 11 .. 20 (recorded by the recorder: trimmed)"), shown.err());

        Cli.Result summaries = gapCli.run("summaries", "--format", "jsonl");
        RunSummary summary =
                RunSummaries.fromJson(summaries.outLines().getFirst().getBytes(StandardCharsets.UTF_8));
        assertEquals(1, summary.gapCount());
        assertEquals(10, summary.missingPositions());
    }

    @Test
    void rebuildAsTranscriptPrintsItsJson() throws Exception {
        String run = FixtureLog.originalRunId("04-error-mid-run");
        Cli.Result result = cli.run("rebuild", run, "--format", "transcript");

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(
                Fixtures.jsonEquals(
                        Transcripts.toJson(Transcripts.ofRecords(RECORDS.get(run))),
                        Json.MAPPER.readTree(result.out())),
                result::out);
    }

    @Test
    void summariesAsJsonLinesAreTheRunSummariesOfTheRecords() {
        Cli.Result result = cli.run("summaries", "--format", "jsonl");

        assertEquals(0, result.exitCode(), result.toString());
        List<RunSummary> printed = result.outLines().stream()
                .map(l -> RunSummaries.fromJson(l.getBytes(StandardCharsets.UTF_8)))
                .toList();
        assertEquals(expectedSummaries(), printed);
    }

    @Test
    void summariesAsCsvHaveAHeaderAndOneRowPerRun() {
        Cli.Result result = cli.run("summaries", "--format", "csv", "--since", "2026-03-14T17:20:00Z");

        assertEquals(0, result.exitCode(), result.toString());
        List<String> lines = result.outLines();
        assertTrue(
                lines.getFirst().startsWith("run_id,agent_id,conversation_id,status,stop_reason,"), lines.getFirst());
        List<String> runs =
                lines.stream().skip(1).map(l -> l.substring(0, l.indexOf(','))).toList();
        assertEquals(
                List.of(
                        FixtureLog.originalRunId("04-error-mid-run"),
                        FixtureLog.originalRunId("05-long-run-with-pings"),
                        FixtureLog.originalRunId("06-cancelled-mid-way")),
                runs);
        assertTrue(lines.get(1).contains(",agent-b,conv-fixture,failed,llm_api_error,"), lines.get(1));
    }

    @Test
    void statsAggregatesTheSummariesPerAgent() throws Exception {
        Cli.Result json = cli.run("stats", "--format", "json");
        assertEquals(0, json.exitCode(), json.toString());
        JsonNode expected = Json.MAPPER.valueToTree(AgentStats.of(expectedSummaries()));
        assertTrue(Fixtures.jsonEquals(expected, Json.MAPPER.readTree(json.out())), json::out);

        Cli.Result table = cli.run("stats");
        assertEquals(0, table.exitCode(), table.toString());
        List<String> lines = table.outLines();
        assertTrue(lines.getFirst().matches("AGENT\\s+RUNS\\s+ERRORS\\s+ERROR%.*"), lines.getFirst());
        assertTrue(lines.get(1).matches("agent-a\\s+3\\s+0\\s+0\\.0\\s.*"), lines.get(1));
        assertTrue(lines.get(2).matches("agent-b\\s+3\\s+1\\s+33\\.3\\s.*"), lines.get(2));
        assertTrue(lines.get(3).matches("\\*\\s+6\\s+1\\s+16\\.7\\s.*"), lines.get(3));
    }

    private static List<RunSummary> expectedSummaries() {
        return RECORDS.values().stream().map(RunSummaries::ofRecords).toList();
    }
}
