package dev.lsr.consumer.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogFormat;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.Cli;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A log with an unparseable record, a record of a newer format, a chunk of an unknown type and a
 * truncated run: each is reported on stderr with run, partition and offset, and everything else
 * replays as if they were not there.
 */
@ExtendWith(KafkaBrokerExtension.class)
class BadInputIT {

    static KafkaBroker broker;
    static String topic;
    static Cli cli;
    static final String GOOD = FixtureLog.originalRunId("01-simple-reply");
    static final String NEWER = FixtureLog.originalRunId("02-tool-call-two-steps");
    static final String UNKNOWN = FixtureLog.originalRunId("03-parallel-approvals");
    static final String CUT = FixtureLog.originalRunId("04-error-mid-run");
    static final String GARBAGE = "run-garbage";

    @BeforeAll
    static void recordBadLog() {
        topic = broker.uniqueTopic("bad");
        broker.createTopic(topic, 1);
        List<ChunkLogRecord> newer = FixtureLog.of("02-tool-call-two-steps").records();
        List<ChunkLogRecord> unknown =
                new ArrayList<>(FixtureLog.of("03-parallel-approvals").records());
        ChunkLogRecord replaced = unknown.get(3);
        unknown.set(
                3,
                new ChunkLogRecord(
                        replaced.envelope(),
                        replaced.valueText()
                                .replace("reasoning_message", "dream_message")
                                .getBytes(UTF_8)));
        List<ChunkLogRecord> cut =
                FixtureLog.of("04-error-mid-run").unfinished().records().subList(0, 12);
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            producer.append(FixtureLog.of("01-simple-reply").records());
            producer.appendRaw(List.of(
                    new ProducerRecord<>(topic, null, GARBAGE.getBytes(UTF_8), "\u0000\u0001garbage".getBytes(UTF_8))));
            ProducerRecord<byte[], byte[]> newerRecord = newer.get(4).toProducerRecord(topic, null);
            RecordHeaders headers = new RecordHeaders(newerRecord.headers().toArray());
            headers.remove(ChunkLogFormat.Headers.FORMAT_VERSION);
            headers.add(ChunkLogFormat.Headers.FORMAT_VERSION, "7".getBytes(UTF_8));
            producer.append(newer.subList(0, 4));
            producer.appendRaw(
                    List.of(new ProducerRecord<>(topic, null, newerRecord.key(), newerRecord.value(), headers)));
            producer.append(newer.subList(4, newer.size()));
            producer.append(unknown);
            producer.append(cut);
        }
        cli = Cli.against(broker.bootstrapServers(), topic);
    }

    @Test
    void runsReportsEachProblemWithRunPartitionAndOffsetAndListsTheRest() {
        Cli.Result result = cli.run("runs");

        assertEquals(ExitCodes.PROBLEMS, result.exitCode(), result.toString());
        List<String> warnings = result.err()
                .lines()
                .filter(l -> l.startsWith("consumer: warning: "))
                .toList();
        assertEquals(4, warnings.size(), result.err());
        assertTrue(
                warnings.get(0)
                        .matches("consumer: warning: unreadable record run-garbage at " + topic
                                + "-0@\\d+: missing ce_lsrformat header .*"),
                warnings.get(0));
        assertTrue(
                warnings.get(1).startsWith("consumer: warning: newer format " + NEWER + " at " + topic + "-0@"),
                warnings.get(1));
        assertTrue(warnings.get(2).startsWith("consumer: warning: unknown message type " + UNKNOWN), warnings.get(2));
        assertTrue(warnings.get(2).contains("dream_message"), warnings.get(2));
        assertTrue(warnings.get(3).startsWith("consumer: warning: truncated run " + CUT), warnings.get(3));
        assertTrue(result.err().contains("3 skipped (1 unreadable, 1 newer format, 1 unknown type)"), result.err());

        List<String> rows = result.outLines();
        assertTrue(rows.stream().anyMatch(r -> r.startsWith(GOOD + "  completed")), result.out());
        assertTrue(rows.stream().anyMatch(r -> r.startsWith(NEWER + "  completed")), result.out());
        assertTrue(rows.stream().anyMatch(r -> r.startsWith(UNKNOWN + "  completed")), result.out());
        assertTrue(rows.stream().anyMatch(r -> r.startsWith(CUT + "  running")), result.out());
    }

    @Test
    void exportOfAnUnaffectedRunInTheSamePartitionIsClean() {
        Cli.Result result = cli.run("export", GOOD);
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(LettaFixtures.chunkLines("01-simple-reply"), result.outLines());
        assertEquals(0, TopicConventions.partitionFor(GOOD, 1));
    }

    @Test
    void exportOfARunWithASkippedRecordSaysSoAndExitsSix() {
        Cli.Result result = cli.run("export", UNKNOWN);
        assertEquals(ExitCodes.PROBLEMS, result.exitCode(), result.toString());
        List<String> expected = new ArrayList<>(LettaFixtures.chunkLines("03-parallel-approvals"));
        expected.remove(2);
        assertEquals(expected, result.outLines());
    }

    @Test
    void exportOfARunWhoseEveryRecordIsUnreadableReportsThemAndExitsSix() {
        Cli.Result result = cli.run("export", GARBAGE);
        assertEquals(ExitCodes.PROBLEMS, result.exitCode(), result.toString());
        assertTrue(result.err().contains("consumer: warning: unreadable record " + GARBAGE + " at "), result.err());
        assertEquals(List.of(), result.outLines());
    }

    /** {@code runs} and {@code summaries} give a run without an end in the log one status, by one rule. */
    @Test
    void runsAndSummariesAgreeOnTheStatusOfATruncatedRun() {
        Cli.Result runs = cli.run("runs");
        String row = runs.outLines().stream()
                .filter(l -> l.startsWith(CUT + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(runs.toString()));
        String runsStatus = row.split("\\s+")[1];

        Cli.Result summaries = cli.run("summaries", "--format", "jsonl");
        String summariesStatus = summaries.outLines().stream()
                .map(l -> dev.lsr.consumer.projection.summary.RunSummaries.fromJson(l.getBytes(UTF_8)))
                .filter(s -> CUT.equals(s.runId()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(summaries.toString()))
                .status();
        assertEquals(summariesStatus, runsStatus, "runs: " + row);
    }

    /**
     * A run no record of which could be read has no summary: nothing is known of it (agent, start, status), so no
     * filter can match it; its records are reported (exit 6), as {@code runs} does, which lists it not either.
     */
    @Test
    void summariesHaveNoRowForARunWhoseEveryRecordIsUnreadable() {
        for (String[] filter : List.of(new String[0], new String[] {"--agent", "agent-fixture"})) {
            List<String> args = new ArrayList<>(List.of("summaries", "--format", "csv"));
            args.addAll(List.of(filter));
            Cli.Result result = cli.run(args.toArray(String[]::new));
            assertEquals(ExitCodes.PROBLEMS, result.exitCode(), result.toString());
            assertTrue(result.err().contains("consumer: warning: unreadable record " + GARBAGE + " at "), result.err());
            assertTrue(result.outLines().stream().noneMatch(l -> l.startsWith(GARBAGE + ",")), result.toString());
            assertEquals(5, result.outLines().size(), "a header and the four readable runs: " + result);
        }
    }

    /** Nor is such a run counted in {@code stats}, under an {@code (unknown)} agent or at all. */
    @Test
    void statsDoNotCountARunWhoseEveryRecordIsUnreadable() {
        Cli.Result result = cli.run("stats");
        assertEquals(ExitCodes.PROBLEMS, result.exitCode(), result.toString());
        List<String> rows = result.outLines();
        assertEquals(3, rows.size(), "the header, agent-fixture and *: " + result);
        assertTrue(rows.get(1).matches("agent-fixture\\s+4\\s.*"), rows.get(1));
        assertTrue(rows.get(2).matches("\\*\\s+4\\s.*"), rows.get(2));
    }

    @Test
    void rebuildOfARunWhoseEveryRecordIsUnreadableReportsThemAndExitsSix() {
        Cli.Result result = cli.run("rebuild", GARBAGE);
        assertEquals(ExitCodes.PROBLEMS, result.exitCode(), result.toString());
        assertTrue(result.err().contains("consumer: warning: unreadable record " + GARBAGE + " at "), result.err());
    }
}
