package dev.lsr.consumer.reader;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogFormat;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.EnvelopeHeaders;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.consumer.testing.MockChunkTopic;
import dev.lsr.consumer.testing.RecordingListener;
import dev.lsr.fixtures.LettaFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ChunkLogReaderTest {

    private static final List<String> SINGLE_RUNS = List.of(
            "01-simple-reply",
            "02-tool-call-two-steps",
            "03-parallel-approvals",
            "04-error-mid-run",
            "05-long-run-with-pings",
            "06-cancelled-mid-way");

    private static RecordingListener replay(MockChunkTopic topic, RunFilter filter) {
        RecordingListener listener = new RecordingListener();
        try (ChunkLogReader reader = new ChunkLogReader(topic.consumer(), topic.topic(), Duration.ofSeconds(1))) {
            reader.replay(filter, listener, ReplayProgress.NONE);
        }
        return listener;
    }

    @Test
    void replaysEveryRunInItsOwnOrderAndEndsEachOnce() {
        MockChunkTopic topic = new MockChunkTopic("letta.chunks", 3);
        SINGLE_RUNS.forEach(f -> topic.append(FixtureLog.of(f).records()));

        RecordingListener listener = replay(topic, RunFilter.all());

        for (String fixture : SINGLE_RUNS) {
            String run = FixtureLog.originalRunId(fixture);
            assertEquals(
                    FixtureLog.withoutKeepalives(LettaFixtures.chunkLines(fixture)),
                    listener.chunkTextsOf(run),
                    fixture);
            assertEquals(RunEnd.Outcome.ENDED, listener.ends.get(run).outcome(), fixture);
            assertEquals(
                    RecordType.RUN_ATTACHED, listener.recordsOf(run).getFirst().type());
        }
        assertEquals(List.of(), listener.problems);
    }

    /**
     * The layout of a log that is not there yet is not "no layout": a reader waiting for the recorder to make the log
     * (the viewer's follower) is told the topic is missing, as by every other read, and says so once. Before, it got
     * {@link RunPartitions#UNKNOWN} with an INFO line about a missing layout record at each look.
     */
    @Test
    void theLayoutOfATopicThatDoesNotExistIsNotFound() {
        MockChunkTopic topic = new MockChunkTopic("letta.chunks", 2);
        try (ChunkLogReader reader = new ChunkLogReader(topic.consumer(), "not-there-yet", Duration.ofSeconds(1))) {
            assertThrows(ChunkTopicNotFoundException.class, reader::runPartitions);
        }
    }

    @Test
    void dropsAndCountsDuplicatesOfARun() {
        List<ChunkLogRecord> run = FixtureLog.of("02-tool-call-two-steps").records();
        MockChunkTopic topic = new MockChunkTopic("t", 2).append(run).append(run);
        RecordingListener listener = new RecordingListener();
        ReplayStats stats;
        try (ChunkLogReader reader = new ChunkLogReader(topic.consumer(), "t", Duration.ofSeconds(1))) {
            stats = reader.replay(RunFilter.all(), listener, ReplayProgress.NONE);
        }
        assertEquals(run.size(), listener.records.size());
        assertEquals(run.size() - 1, stats.duplicates());
        assertEquals(1, stats.keepalivePings(), "the repeated initial ping");
        assertEquals(2L * run.size(), stats.records());
        assertEquals(List.of(), listener.problems);
    }

    @Test
    void reportsAMissingChunkAsAGapAndKeepsGoing() {
        List<ChunkLogRecord> records =
                new ArrayList<>(FixtureLog.of("01-simple-reply").records());
        ChunkLogRecord removed = records.remove(10);
        MockChunkTopic topic = new MockChunkTopic("t", 1).append(records);

        RecordingListener listener = replay(topic, RunFilter.all());

        List<ReadProblem> gaps = listener.problemsOf(ReadProblem.Kind.GAP);
        assertEquals(1, gaps.size());
        assertTrue(
                gaps.getFirst()
                        .detail()
                        .contains("missing seq " + removed.position().seq()),
                gaps.toString());
        assertEquals(records.size(), listener.records.size());
    }

    @Test
    void reportsARecordedGapOnceWhereItStands() {
        List<String> lines = LettaFixtures.chunkLines("01-simple-reply");
        List<ChunkLogRecord> records = new dev.lsr.consumer.projection.SyntheticLog(
                        "run-e88b7591-31db-4e32-98dc-b35f94c662cd", Instant.parse("2026-03-14T17:32:11Z"))
                .attached()
                .chunks(lines.subList(0, 10), Duration.ofMillis(5))
                .gap(11, 20L, "trimmed")
                .chunks(lines.subList(20, lines.size()), Duration.ofMillis(5))
                .finished("end_turn", "completed")
                .records();
        MockChunkTopic topic = new MockChunkTopic("t", 1).append(records);
        RecordingListener listener = new RecordingListener();
        ReplayStats stats;
        try (ChunkLogReader reader = new ChunkLogReader(topic.consumer(), "t", Duration.ofSeconds(1))) {
            stats = reader.replay(RunFilter.all(), listener, ReplayProgress.NONE);
        }
        List<ReadProblem> gaps = listener.problemsOf(ReadProblem.Kind.GAP);
        assertEquals(1, gaps.size(), gaps.toString());
        assertEquals(
                "gap run-e88b7591-31db-4e32-98dc-b35f94c662cd at t-0@11: missing seqs 11 .. 20 (recorded by the recorder: trimmed)",
                gaps.getFirst().describe());
        assertEquals(1, stats.gaps());
        assertEquals(records.size(), listener.records.size(), "the gap record is delivered too");
    }

    /** A chunk the reader cannot read (here an unknown type) right after a missing one: both are reported. */
    @Test
    void aMissingChunkRightBeforeAnUnreadableOneIsStillAGap() {
        List<ChunkLogRecord> records =
                new ArrayList<>(FixtureLog.of("01-simple-reply").records());
        ChunkLogRecord removed = records.remove(10);
        ChunkLogRecord next = records.get(10);
        assertTrue(
                next.envelope().isChunk()
                        && next.position().seq() > removed.position().seq(),
                next.toString());
        records.set(
                10,
                new ChunkLogRecord(
                        next.envelope(),
                        next.valueText()
                                .replaceFirst("\"message_type\":\"[a-z_]+\"", "\"message_type\":\"telepathy_message\"")
                                .getBytes(UTF_8)));
        MockChunkTopic topic = new MockChunkTopic("t", 1).append(records);

        RecordingListener listener = replay(topic, RunFilter.all());

        assertEquals(
                1, listener.problemsOf(ReadProblem.Kind.UNKNOWN_MESSAGE_TYPE).size(), listener.problems.toString());
        List<ReadProblem> gaps = listener.problemsOf(ReadProblem.Kind.GAP);
        assertEquals(1, gaps.size(), listener.problems.toString());
        assertTrue(
                gaps.getFirst()
                        .detail()
                        .contains("missing seq " + removed.position().seq()),
                gaps.toString());
    }

    /** Fixture 01 as an agent-direct run (no conversation) whose 11th record is a chunk of an unknown type. */
    private static List<ChunkLogRecord> agentDirectRunWithAnUnknownChunk() {
        List<ChunkLogRecord> records = new ArrayList<>(
                FixtureLog.of("01-simple-reply").conversation(null).records());
        ChunkLogRecord chunk = records.get(10);
        records.set(
                10,
                new ChunkLogRecord(
                        chunk.envelope(),
                        chunk.valueText()
                                .replaceFirst("\"message_type\":\"[a-z_]+\"", "\"message_type\":\"telepathy_message\"")
                                .getBytes(UTF_8)));
        return records;
    }

    /**
     * A run the filter could never decide (no conversation to match) has only its unreadable records reported at the
     * end: its readable ones were never sequenced, so nothing before them counts as missing.
     */
    @Test
    void anUndecidedRunsUnreadableChunkReportsNoGap() {
        MockChunkTopic topic = new MockChunkTopic("t", 1).append(agentDirectRunWithAnUnknownChunk());

        RecordingListener listener = replay(topic, RunFilter.all().withConversation("conv-elsewhere"));

        assertEquals(
                1, listener.problemsOf(ReadProblem.Kind.UNKNOWN_MESSAGE_TYPE).size(), listener.problems.toString());
        assertEquals(List.of(), listener.problemsOf(ReadProblem.Kind.GAP));
    }

    /**
     * Following, a run the filter can never decide (an agent-direct run names no conversation) is decided once its log
     * ends: its unreadable records are reported then, and nothing of it is held for the rest of the follow.
     */
    @Test
    void aFollowDecidesARunItCouldNotPlaceOnceTheRunEnds() {
        MockChunkTopic topic = new MockChunkTopic("t", 1).append(agentDirectRunWithAnUnknownChunk());
        RecordingListener listener = new RecordingListener();

        try (ChunkLogReader reader = new ChunkLogReader(topic.consumer(), topic.topic(), Duration.ofSeconds(1))) {
            reader.follow(RunFilter.all().withConversation("conv-1"), listener, true, reader::stop);
        }

        assertEquals(
                1, listener.problemsOf(ReadProblem.Kind.UNKNOWN_MESSAGE_TYPE).size(), listener.problems.toString());
        assertEquals(List.of(), listener.problemsOf(ReadProblem.Kind.GAP));
        assertEquals(List.of(), listener.chunkTextsOf(FixtureLog.originalRunId("01-simple-reply")), "not included");
    }

    /** A follow stopped from its listener (the CLI's {@code --max-runs}) hands it nothing after the stop. */
    @Test
    void aFollowStoppedByItsListenerDeliversNothingMore() {
        MockChunkTopic topic = new MockChunkTopic("t", 1)
                .append(FixtureLog.of("01-simple-reply").records())
                .append(FixtureLog.of("06-cancelled-mid-way").records());
        List<ReplayEvent> events = new ArrayList<>();

        try (ChunkLogReader reader = new ChunkLogReader(topic.consumer(), topic.topic(), Duration.ofSeconds(1))) {
            reader.follow(
                    RunFilter.all(),
                    event -> {
                        events.add(event);
                        if (event instanceof ReplayEvent.End) {
                            reader.stop();
                        }
                    },
                    true);
        }

        assertTrue(events.getLast() instanceof ReplayEvent.End, "the last event is the first run's end");
        assertEquals(
                Set.of(FixtureLog.originalRunId("01-simple-reply")),
                events.stream()
                        .filter(ReplayEvent.OfRecord.class::isInstance)
                        .map(ReplayEvent::runId)
                        .collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void skipsBadRecordsWithRunAndOffsetAndReadsTheRest() {
        MockChunkTopic topic = new MockChunkTopic("t", 1);
        List<ChunkLogRecord> good = FixtureLog.of("06-cancelled-mid-way").records();
        String run = good.getFirst().runId();
        topic.append(good.subList(0, 5));
        topic.appendRaw(run, "not a record".getBytes(UTF_8), null); // offset 5
        RecordHeaders newer = EnvelopeHeaders.write(good.get(5).envelope());
        newer.remove(ChunkLogFormat.Headers.FORMAT_VERSION);
        newer.add(ChunkLogFormat.Headers.FORMAT_VERSION, "2".getBytes(UTF_8));
        topic.appendRaw(run, good.get(5).value(), newer); // offset 6
        topic.append(good.subList(5, good.size()));
        List<ChunkLogRecord> unknown = FixtureLog.of("01-simple-reply").records();
        String unknownRun = unknown.getFirst().runId();
        topic.append(unknown.get(0));
        topic.append(new ChunkLogRecord(
                unknown.get(1).envelope(),
                unknown.get(1)
                        .valueText()
                        .replace("\"ping\"", "\"telepathy_message\"")
                        .getBytes(UTF_8)));
        topic.append(unknown.subList(2, unknown.size()));
        List<ChunkLogRecord> cut = FixtureLog.of("03-parallel-approvals").records();
        String cutRun = cut.getFirst().runId();
        topic.append(cut.subList(0, 10));

        RecordingListener listener = replay(topic, RunFilter.all());

        ReadProblem unreadable =
                listener.problemsOf(ReadProblem.Kind.UNREADABLE_RECORD).getFirst();
        assertEquals(run, unreadable.runId());
        assertEquals(5, unreadable.location().offset());
        ReadProblem newerFormat =
                listener.problemsOf(ReadProblem.Kind.NEWER_FORMAT).getFirst();
        assertEquals(6, newerFormat.location().offset());
        ReadProblem unknownType =
                listener.problemsOf(ReadProblem.Kind.UNKNOWN_MESSAGE_TYPE).getFirst();
        assertEquals(unknownRun, unknownType.runId());
        assertTrue(unknownType.detail().contains("telepathy_message"));
        ReadProblem truncated =
                listener.problemsOf(ReadProblem.Kind.TRUNCATED_RUN).getFirst();
        assertEquals(cutRun, truncated.runId());
        assertEquals(RunEnd.Outcome.TRUNCATED, listener.ends.get(cutRun).outcome());
        assertEquals(4, listener.problems.size(), listener.problems.toString());

        assertEquals(
                FixtureLog.withoutKeepalives(LettaFixtures.chunkLines("06-cancelled-mid-way")),
                listener.chunkTextsOf(run));
        assertEquals(RunEnd.Outcome.ENDED, listener.ends.get(run).outcome());
        assertEquals(unknown.size() - 1, listener.recordsOf(unknownRun).size());
        assertEquals(RunEnd.Outcome.ENDED, listener.ends.get(unknownRun).outcome());
    }

    /**
     * A recorder record whose value is JSON {@code null} (Jackson reads it as no event, without an error), and
     * records with no value at all: each is one unreadable record, named by run and offset, and the run's other
     * records are read.
     */
    @Test
    void aRecordWithANullValueIsOneUnreadableRecord() {
        MockChunkTopic topic = new MockChunkTopic("t", 1);
        List<ChunkLogRecord> good = FixtureLog.of("06-cancelled-mid-way").records();
        String run = good.getFirst().runId();
        ChunkLogRecord lifecycle =
                good.stream().filter(r -> !r.envelope().isChunk()).findFirst().orElseThrow();
        topic.append(good.subList(0, 5));
        topic.appendRaw(run, "null".getBytes(UTF_8), EnvelopeHeaders.write(lifecycle.envelope())); // offset 5
        topic.appendRaw(run, null, EnvelopeHeaders.write(lifecycle.envelope())); // offset 6
        topic.appendRaw(run, null, EnvelopeHeaders.write(good.get(5).envelope())); // offset 7: a chunk, no value
        topic.append(good.subList(5, good.size()));

        RecordingListener listener = replay(topic, RunFilter.all());

        List<ReadProblem> unreadable = listener.problemsOf(ReadProblem.Kind.UNREADABLE_RECORD);
        assertEquals(
                List.of(5L, 6L, 7L),
                unreadable.stream().map(p -> p.location().offset()).toList(),
                unreadable.toString());
        assertTrue(unreadable.stream().allMatch(p -> run.equals(p.runId())), unreadable.toString());
        assertEquals(
                FixtureLog.withoutKeepalives(LettaFixtures.chunkLines("06-cancelled-mid-way")),
                listener.chunkTextsOf(run));
        assertEquals(RunEnd.Outcome.ENDED, listener.ends.get(run).outcome());
    }

    /**
     * With a time filter, a run's records wait until one of them tells when the run started. A run none of whose
     * records can be read never tells: its problems were dropped without a word (exit 0, no warning), as if the run
     * were outside the window. They are reported at the end of the replay.
     */
    @Test
    void aRunWithOnlyUnreadableRecordsIsReportedUnderATimeFilterToo() {
        MockChunkTopic topic = new MockChunkTopic("t", 1);
        topic.append(FixtureLog.of("06-cancelled-mid-way").records());
        Envelope unreadable = Envelope.recorderRecord(
                RecordType.RUN_FINISHED,
                "run-b/finished",
                "http://letta",
                "run-b",
                Position.START,
                Instant.parse("2026-03-14T17:00:00Z"),
                null,
                null);
        topic.appendRaw("run-b", "null".getBytes(UTF_8), EnvelopeHeaders.write(unreadable));
        topic.appendRaw("run-b", "null".getBytes(UTF_8), EnvelopeHeaders.write(unreadable));

        RecordingListener listener =
                replay(topic, RunFilter.all().withStartBetween(Instant.parse("2026-01-01T00:00:00Z"), null));

        List<ReadProblem> problems = listener.problemsOf(ReadProblem.Kind.UNREADABLE_RECORD);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.stream().allMatch(p -> "run-b".equals(p.runId())), problems.toString());
    }

    @Test
    void aRunFilterReadsOnlyThatRun() {
        MockChunkTopic topic = new MockChunkTopic("t", 4);
        SINGLE_RUNS.forEach(f -> topic.append(FixtureLog.of(f).records()));
        String run = FixtureLog.originalRunId("04-error-mid-run");

        RecordingListener listener = replay(topic, RunFilter.run(run));

        assertEquals(Set.of(run), listener.ends.keySet());
        assertEquals(FixtureLog.of("04-error-mid-run").records().size(), listener.records.size());
    }

    @Test
    void filtersByAgentConversationAndStart() {
        MockChunkTopic topic = new MockChunkTopic("t", 2);
        topic.append(FixtureLog.of("01-simple-reply")
                .agent("agent-a")
                .conversation("conv-1")
                .records());
        topic.append(FixtureLog.of("02-tool-call-two-steps")
                .agent("agent-b")
                .conversation("conv-1")
                .records());
        topic.append(FixtureLog.of("03-parallel-approvals")
                .agent("agent-a")
                .conversation("conv-2")
                .records());
        String r1 = FixtureLog.originalRunId("01-simple-reply");
        String r2 = FixtureLog.originalRunId("02-tool-call-two-steps");
        String r3 = FixtureLog.originalRunId("03-parallel-approvals");

        assertEquals(
                Set.of(r1, r3),
                replay(topic, RunFilter.all().withAgent("agent-a")).ends.keySet());
        assertEquals(
                Set.of(r1, r2),
                replay(topic, RunFilter.all().withConversation("conv-1")).ends.keySet());
        assertEquals(
                Set.of(r1),
                replay(topic, RunFilter.all().withAgent("agent-a").withConversation("conv-1"))
                        .ends
                        .keySet());
        Instant start02 = FixtureLog.of("02-tool-call-two-steps")
                .records()
                .getFirst()
                .envelope()
                .receivedAt();
        assertEquals(
                Set.of(r2),
                replay(topic, RunFilter.all().withStartBetween(start02, start02.plusSeconds(1)))
                        .ends
                        .keySet());
    }

    @Test
    void readsOnlyUpToTheEndOffsetsCapturedAtTheStart() {
        MockChunkTopic topic = new MockChunkTopic("t", 1);
        List<ChunkLogRecord> run = FixtureLog.of("01-simple-reply").records();
        topic.append(run.subList(0, 20));
        MockConsumer<byte[], byte[]> consumer = topic.consumer();
        topic.append(run.subList(20, run.size())); // appended after the replay captured its end offsets
        RecordingListener listener = new RecordingListener();
        try (ChunkLogReader reader = new ChunkLogReader(consumer, "t", Duration.ofSeconds(1))) {
            reader.replay(RunFilter.all(), listener, ReplayProgress.NONE);
        }
        assertEquals(20, listener.records.size());
        assertEquals(
                RunEnd.Outcome.TRUNCATED,
                listener.ends.values().iterator().next().outcome());
    }

    @Test
    void aMissingTopicIsReportedAsSuch() {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        try (ChunkLogReader reader = new ChunkLogReader(consumer, "nope", Duration.ofSeconds(1))) {
            assertThrows(
                    ChunkTopicNotFoundException.class,
                    () -> reader.replay(RunFilter.all(), new RecordingListener(), ReplayProgress.NONE));
        }
    }
}
