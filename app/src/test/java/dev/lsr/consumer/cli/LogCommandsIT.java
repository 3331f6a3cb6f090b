package dev.lsr.consumer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.Cli;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code consumer runs} and {@code consumer export} against a real broker holding the fixture runs. */
@ExtendWith(KafkaBrokerExtension.class)
class LogCommandsIT {

    static final List<String> FIXTURES = List.of(
            "01-simple-reply",
            "02-tool-call-two-steps",
            "03-parallel-approvals",
            "04-error-mid-run",
            "05-long-run-with-pings",
            "06-cancelled-mid-way");

    static KafkaBroker broker;
    static String topic;
    static Cli cli;

    @BeforeAll
    static void recordFixtures() {
        topic = broker.uniqueTopic("chunks");
        broker.createTopic(topic, 3);
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            for (String fixture : FIXTURES) {
                producer.append(FixtureLog.of(fixture)
                        .agent(fixture.startsWith("0") && fixture.compareTo("04") < 0 ? "agent-early" : "agent-late")
                        .records());
            }
            producer.appendAborted(
                    FixtureLog.of("01-simple-reply").runId("run-aborted").records());
        }
        cli = Cli.against(broker.bootstrapServers(), topic);
    }

    @Test
    void runsListsEveryRunWithStatusAgentAndChunkCount() {
        Cli.Result result = cli.run("runs");

        assertEquals(0, result.exitCode(), result.toString());
        Map<String, String> rows =
                result.outLines().stream().skip(1).collect(Collectors.toMap(l -> l.split("\\s+")[0], l -> l));
        assertEquals(FIXTURES.size(), rows.size(), result.toString());
        assertRow(rows, "01-simple-reply", "completed", "end_turn", "agent-early", 62);
        assertRow(rows, "03-parallel-approvals", "completed", "requires_approval", "agent-early", 37);
        assertRow(rows, "04-error-mid-run", "failed", "llm_api_error", "agent-late", 29);
        assertRow(rows, "05-long-run-with-pings", "completed", "end_turn", "agent-late", 386 - 4);
        assertRow(rows, "06-cancelled-mid-way", "cancelled", "cancelled", "agent-late", 25);
        assertTrue(result.outLines().getFirst().startsWith("RUN"), result.out());
    }

    private static void assertRow(
            Map<String, String> rows, String fixture, String status, String stopReason, String agent, int chunks) {
        String row = rows.get(FixtureLog.originalRunId(fixture));
        List<String> cells = List.of(row.split("\\s+"));
        assertEquals(List.of(status, stopReason, agent), cells.subList(1, 4), row);
        assertEquals(String.valueOf(chunks), cells.getLast(), row);
    }

    @Test
    void runsFiltersByAgent() {
        Cli.Result result = cli.run("runs", "--agent", "agent-early");
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(4, result.outLines().size(), result.toString());
    }

    /** Like {@code rebuild --conversation}: a conversation asked for that is not in the log is exit 7. */
    @Test
    void runsOfAnUnknownConversationIsNotFound() {
        Cli.Result result = cli.run("runs", "--conversation", "nope");
        assertEquals(ExitCodes.NOT_FOUND, result.exitCode(), result.toString());
        assertEquals(
                "consumer: conversation nope is not in the log", result.err().strip());
        assertEquals("", result.out());

        Cli.Result known = cli.run("runs", "--conversation", "conv-fixture");
        assertEquals(0, known.exitCode(), known.toString());
        assertEquals(1 + FIXTURES.size(), known.outLines().size(), known.toString());

        Cli.Result filtered = cli.run("runs", "--conversation", "conv-fixture", "--agent", "agent-nope");
        assertEquals(0, filtered.exitCode(), "a conversation with another filter is one filter: " + filtered);
        assertEquals(1, filtered.outLines().size(), filtered.toString());
    }

    @Test
    void exportWritesTheRunsChunksInOrderAsJsonl() {
        String run = FixtureLog.originalRunId("05-long-run-with-pings");
        Cli.Result result = cli.run("export", run);

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(
                FixtureLog.withoutKeepalives(LettaFixtures.chunkLines("05-long-run-with-pings")), result.outLines());
        assertEquals("", result.err());
    }

    @Test
    void anUnknownRunIsExitCodeThreeWithOneLine() {
        Cli.Result result = cli.run("export", "run-does-not-exist");
        assertEquals(ExitCodes.NOT_FOUND, result.exitCode(), result.toString());
        assertEquals(
                "consumer: run run-does-not-exist is not in the log",
                result.err().strip());
        assertEquals("", result.out());
    }

    @Test
    void aMissingTopicIsExitCodeThree() {
        Cli.Result result = Cli.against(broker.bootstrapServers(), broker.uniqueTopic("absent"))
                .run("runs");
        assertEquals(ExitCodes.NOT_FOUND, result.exitCode(), result.toString());
        assertTrue(result.err().strip().matches("consumer: topic '.*' does not exist at .*"), result.err());
    }

    @Test
    void anUnreachableBrokerFailsFastWithExitCodeFive() {
        long start = System.nanoTime();
        Cli.Result result = new Cli(java.time.Clock.systemUTC())
                .runExactly(
                        "runs",
                        "--bootstrap-servers",
                        "127.0.0.1:1",
                        "--timeout",
                        "2s",
                        "--kafka-property",
                        "sasl.jaas.config=secret-jaas-value");
        long seconds = (System.nanoTime() - start) / 1_000_000_000;

        assertEquals(ExitCodes.UNAVAILABLE, result.exitCode(), result.toString());
        assertEquals(1, result.err().lines().count(), result.toString());
        assertTrue(result.err().startsWith("consumer: cannot reach Kafka at 127.0.0.1:1 within 2s"), result.err());
        assertTrue(!result.err().contains("secret-jaas-value"), result.err());
        assertTrue(seconds < 30, "took " + seconds + "s");
    }
}
