package dev.lsr.consumer.reader;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.consumer.testing.MockChunkTopic;
import dev.lsr.consumer.testing.RecordingListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@link ChunkLogReader#replayInParallel} tells the listeners, together, exactly what {@link ChunkLogReader#replay} tells one. */
class ChunkLogReaderParallelTest {

    private static final List<String> FIXTURES = List.of(
            "01-simple-reply",
            "02-tool-call-two-steps",
            "03-parallel-approvals",
            "04-error-mid-run",
            "05-long-run-with-pings",
            "06-cancelled-mid-way");

    /** Fixture runs interleaved over 4 partitions, a duplicate run, a malformed chunk, a truncated run. */
    private static MockChunkTopic mixedTopic() {
        MockChunkTopic topic = new MockChunkTopic("t", 4);
        List<List<ChunkLogRecord>> runs =
                FIXTURES.stream().map(f -> FixtureLog.of(f).records()).toList();
        int longest = runs.stream().mapToInt(List::size).max().orElseThrow();
        for (int i = 0; i < longest; i++) {
            for (List<ChunkLogRecord> run : runs) {
                if (i < run.size()) {
                    topic.append(run.get(i));
                }
            }
        }
        List<ChunkLogRecord> again = FixtureLog.of("02-tool-call-two-steps").records();
        topic.append(again);
        List<ChunkLogRecord> cut =
                FixtureLog.of("01-simple-reply").runId("run-cut").records();
        topic.append(cut.subList(0, 12));
        topic.append(new ChunkLogRecord(cut.get(12).envelope(), "{\"message_type\":".getBytes(UTF_8)));
        return topic;
    }

    @Test
    void theListenersTogetherHearWhatOneListenerHearsEachRunInOrderOnOneThread() {
        RecordingListener sequential = new RecordingListener();
        ReplayStats sequentialStats;
        try (ChunkLogReader reader = new ChunkLogReader(mixedTopic().consumer(), "t", Duration.ofSeconds(1))) {
            sequentialStats = reader.replay(RunFilter.all(), sequential, ReplayProgress.NONE);
        }
        for (int workers : new int[] {1, 2, 3}) {
            List<ThreadNoting> listeners =
                    Stream.generate(ThreadNoting::new).limit(workers).toList();
            ReplayStats stats;
            try (ChunkLogReader reader = new ChunkLogReader(mixedTopic().consumer(), "t", Duration.ofSeconds(1))) {
                stats = reader.replayInParallel(RunFilter.all(), listeners, ReplayProgress.NONE);
            }
            assertEquals(sequentialStats, stats);
            assertTrue(
                    sequentialStats.duplicates() > 0
                            && sequentialStats.unreadable() == 1
                            && sequentialStats.truncatedRuns() == 1,
                    sequentialStats.summaryLine());
            Set<String> seenRuns = new HashSet<>();
            for (ThreadNoting noting : listeners) {
                RecordingListener listener = noting.heard;
                assertTrue(noting.threads.size() <= 1, "one thread per listener: " + noting.threads);
                assertFalse(noting.threads.contains(Thread.currentThread().getName()), "not the reading thread");
                for (String run : listener.ends.keySet()) {
                    assertTrue(seenRuns.add(run), "a run is told to one listener only: " + run);
                    assertEquals(locations(sequential.recordsOf(run)), locations(listener.recordsOf(run)), run);
                    assertEquals(sequential.ends.get(run), listener.ends.get(run));
                    assertEquals(problemsOf(sequential, run), problemsOf(listener, run), run);
                }
            }
            assertEquals(sequential.ends.keySet(), seenRuns);
        }
    }

    @Test
    void aListenersFailureIsRethrownToTheCaller() {
        IllegalStateException boom = new IllegalStateException("boom");
        List<ReplayListener> listeners = List.of(new RecordingListener(), new ReplayListener() {
            @Override
            public void onEvent(ReplayEvent event) {
                throw boom;
            }
        });
        try (ChunkLogReader reader = new ChunkLogReader(mixedTopic().consumer(), "t", Duration.ofSeconds(1))) {
            assertSame(
                    boom,
                    assertThrows(
                            IllegalStateException.class,
                            () -> reader.replayInParallel(RunFilter.all(), listeners, ReplayProgress.NONE)));
        }
    }

    /** Records what it hears and on which threads. */
    private static final class ThreadNoting implements ReplayListener {
        final RecordingListener heard = new RecordingListener();
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        @Override
        public void onEvent(ReplayEvent event) {
            threads.add(Thread.currentThread().getName());
            heard.onEvent(event);
        }
    }

    private static List<LogLocation> locations(List<RunRecord> records) {
        return records.stream().map(RunRecord::location).toList();
    }

    private static List<ReadProblem> problemsOf(RecordingListener listener, String run) {
        return listener.problems.stream()
                .filter(p -> run.equals(p.runId()))
                .collect(Collectors.toCollection(ArrayList::new));
    }
}
