package dev.lsr.consumer.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.LogLayout;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.Cli;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A record of a run in another chunk partition than the run's (its id hashed over the count in the log's layout
 * record): the analytics job skips it ({@code RecordInAnotherPartitionIT}); {@code summaries} and {@code stats} folded
 * it into the run. They skip it too now, with a warning naming the run and the record's place, and exit 6.
 */
@ExtendWith(KafkaBrokerExtension.class)
class StrayRecordIT {

    static KafkaBroker broker;

    private static final String RUN = "run-stray";

    @Test
    void summariesAndStatsLeaveOutARecordInAnotherPartitionThanItsRuns() {
        String clean = log("stray-clean", false);
        String stray = log("stray", true);

        Cli.Result expected = Cli.against(broker.bootstrapServers(), clean).run("summaries", "--format", "jsonl");
        assertEquals(0, expected.exitCode(), expected.toString());
        for (String command : List.of("summaries", "stats")) {
            String format = command.equals("summaries") ? "jsonl" : "json";
            Cli.Result reference = Cli.against(broker.bootstrapServers(), clean).run(command, "--format", format);
            Cli.Result result = Cli.against(broker.bootstrapServers(), stray).run(command, "--format", format);

            assertEquals(reference.out(), result.out(), command + ": the run as if the stray record were not there");
            assertEquals(ExitCodes.PROBLEMS, result.exitCode(), result.toString());
            assertTrue(
                    result.err().contains(RUN) && result.err().contains(stray + "-" + strayPartition() + "@"),
                    command + ": a warning naming the run and where the record is:\n" + result.err());
        }
    }

    @Test
    void followLeavesOutARecordInAnotherPartitionThanItsRuns() {
        String clean = followedLog("stray-follow-clean", false);
        String stray = followedLog("stray-follow", true);

        Cli.Result reference =
                Cli.against(broker.bootstrapServers(), clean).run("follow", "--from-beginning", "--max-runs", "2");
        Cli.Result result =
                Cli.against(broker.bootstrapServers(), stray).run("follow", "--from-beginning", "--max-runs", "2");

        assertEquals(0, reference.exitCode(), reference.toString());
        assertEquals(
                eventLines(reference),
                eventLines(result),
                "the runs' lines as if the stray record were not there:\n" + result);
        List<String> problems = result.outLines().stream()
                .filter(l -> l.startsWith("problem  "))
                .toList();
        assertEquals(1, problems.size(), "one problem, the stray record: " + result);
        assertTrue(
                problems.getFirst().contains(RUN)
                        && problems.getFirst().contains(stray + "-" + strayPartition() + "@")
                        && problems.getFirst().contains("not part of the run's log"),
                "a problem naming the run and where the record is: " + problems);
        assertEquals(ExitCodes.PROBLEMS, result.exitCode(), result.toString());
    }

    /**
     * {@link #log} with a second run after it in the stray record's partition: a follow that saw both runs end has
     * read the stray record, whichever partition it polls first.
     */
    private static String followedLog(String name, boolean withStray) {
        String topic = log(name, withStray);
        String after = IntStream.range(0, 1000)
                .mapToObj(i -> "run-after-" + i)
                .filter(id -> TopicConventions.partitionFor(id, 2) == strayPartition())
                .findFirst()
                .orElseThrow();
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            producer.append(FixtureLog.of("06-cancelled-mid-way").runId(after).records());
        }
        return topic;
    }

    /** The lines of runs' events, without their time (each log's own) and without problem lines. */
    private static List<String> eventLines(Cli.Result result) {
        return result.outLines().stream()
                .filter(l -> !l.startsWith("problem  "))
                .map(l -> l.substring(l.indexOf("  ") + 2))
                .sorted()
                .toList();
    }

    @Test
    void anUnreadableLayoutRecordIsAWarningAndTheLogIsReadAsWithoutOne() {
        String topic = log("stray-bad-layout", false, "{not a layout".getBytes(UTF_8));

        Cli.Result result = Cli.against(broker.bootstrapServers(), topic).run("summaries", "--format", "jsonl");

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains(RUN), result.toString());
        assertTrue(
                result.err().contains("consumer: warning: the layout record of")
                        && result.err().contains("every record is read where it is"),
                result.err());
    }

    @Test
    void aStrayRecordOfARunTheFilterLeavesOutIsNoProblem() {
        String stray = log("stray-filtered", true);

        Cli.Result result = Cli.against(broker.bootstrapServers(), stray).run("runs", "--agent", "agent-not-there");

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals("", result.err(), result.toString());
    }

    @Test
    void aRunIsFoundInItsPartitionAfterPartitionsWereAdded() throws Exception {
        String run = runMovedByAThirdPartition("run-grown-");
        String topic = log("stray-grown", false, layout(2), run);
        broker.admin()
                .createPartitions(Map.of(topic, NewPartitions.increaseTo(3)))
                .all()
                .get();

        Cli.Result result = Cli.against(broker.bootstrapServers(), topic).run("show", run);

        assertEquals(0, result.exitCode(), "its records are where the layout's count puts them: " + result);
        assertTrue(result.out().contains(run), result.toString());
    }

    @Test
    void aLayoutOfMorePartitionsThanTheTopicHasIsNotThisTopics() {
        String run = runMovedByAThirdPartition("run-stale-");
        // a chunk topic created again with fewer partitions beside the old checkpoint topic: partitions are never
        // removed, so a layout of 3 cannot be this 2-partition topic's
        String topic = log("stray-stale-layout", false, layout(3), run);

        Cli.Result result = Cli.against(broker.bootstrapServers(), topic).run("summaries", "--format", "jsonl");

        assertEquals(0, result.exitCode(), "every record is read where it is: " + result);
        assertTrue(result.out().contains(run), result.toString());
    }

    /** A run id (with {@code prefix}) whose partition over 2 partitions is not its partition over 3. */
    private static String runMovedByAThirdPartition(String prefix) {
        return IntStream.range(0, 1000)
                .mapToObj(i -> prefix + i)
                .filter(id -> TopicConventions.partitionFor(id, 2) != TopicConventions.partitionFor(id, 3))
                .findFirst()
                .orElseThrow();
    }

    private static byte[] layout(int partitions) {
        return LogLayout.of(partitions, Instant.parse("2026-03-14T17:30:00Z")).toJson();
    }

    private static int strayPartition() {
        return 1 - TopicConventions.partitionFor(RUN, 2);
    }

    /** A two-partition log with its layout record and fixture 01 as {@link #RUN}; with a stray chunk if asked. */
    private static String log(String name, boolean withStray) {
        return log(name, withStray, layout(2));
    }

    private static String log(String name, boolean withStray, byte[] layout) {
        return log(name, withStray, layout, RUN);
    }

    /** A two-partition log with the given layout record and fixture 01 as {@code run}; with a stray if asked. */
    private static String log(String name, boolean withStray, byte[] layout, String run) {
        String topic = broker.uniqueTopic(name);
        broker.createTopic(topic, 2);
        String checkpoints = TopicConventions.checkpointTopic(topic);
        broker.createTopic(checkpoints, 1);
        List<ChunkLogRecord> records =
                FixtureLog.of("01-simple-reply").runId(run).records();
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), checkpoints)) {
            producer.appendRaw(List.of(
                    new ProducerRecord<>(checkpoints, LogLayout.PARTITION, LogLayout.KEY.getBytes(UTF_8), layout)));
        }
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            producer.append(records);
            if (withStray) {
                ChunkLogRecord first = records.stream()
                        .filter(r -> r.type() == RecordType.CHUNK)
                        .findFirst()
                        .orElseThrow();
                Envelope at = first.envelope();
                ChunkLogRecord stray = new ChunkLogRecord(
                        Envelope.chunk(
                                at.source(),
                                RUN,
                                Position.ofSeq(900),
                                null,
                                at.receivedAt(),
                                at.agentId(),
                                at.conversationId()),
                        ("{\"message_type\":\"assistant_message\",\"run_id\":\"" + RUN
                                        + "\",\"seq_id\":900,\"content\":\"not part of the run\"}")
                                .getBytes(UTF_8));
                producer.appendRaw(List.of(stray.toProducerRecord(topic, strayPartition())));
            }
        }
        return topic;
    }
}
