package dev.lsr.consumer.analytics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** A problem is counted and reported once whatever the commit of its transaction looked like to the client. */
class TransactionProblemsTest {

    private static final TopicPartition P0 = new TopicPartition("chunks", 0);
    private static final TopicPartition P1 = new TopicPartition("chunks", 1);

    private final AtomicLong problems = new AtomicLong();
    private final TransactionProblems pending = new TransactionProblems(problems);
    private final List<String> reported = new ArrayList<>();

    @Test
    void aFailedCommitThatCommittedReportsItsProblemsOnce() {
        pending.add(() -> reported.add("run-a"));
        pending.add(() -> reported.add("run-b"));
        pending.commitFailed(Map.of(P0, new OffsetAndMetadata(10), P1, new OffsetAndMetadata(4)));
        assertEquals(0, problems.get(), "in doubt until the offsets say");

        pending.settle(Map.of(P0, new OffsetAndMetadata(10), P1, new OffsetAndMetadata(4)));
        pending.settle(Map.of(P0, new OffsetAndMetadata(10), P1, new OffsetAndMetadata(4)));

        assertEquals(2, problems.get());
        assertEquals(List.of("run-a", "run-b"), reported);
        assertTrue(pending.inDoubtPartitions().isEmpty());
    }

    @Test
    void aFailedCommitThatAbortedLeavesItsProblemsToTheRecordsReadAgain() {
        pending.add(() -> reported.add("run-a"));
        pending.commitFailed(Map.of(P0, new OffsetAndMetadata(10)));
        pending.settle(Map.of(P0, new OffsetAndMetadata(6)));
        assertEquals(0, problems.get(), "not committed: the records are read again");

        pending.add(() -> reported.add("run-a"));
        pending.committed();

        assertEquals(1, problems.get());
        assertEquals(List.of("run-a"), reported);
    }

    @Test
    void aFailedCommitOfAPartitionTheGroupNeverCommittedAborted() {
        pending.add(() -> reported.add("run-a"));
        pending.commitFailed(Map.of(P0, new OffsetAndMetadata(10)));
        pending.settle(Collections.singletonMap(P0, null));

        assertEquals(0, problems.get());
        assertEquals(List.of(), reported);
    }

    @Test
    void aStopThatCannotTellReportsTheProblemsOfTheFailedCommit() {
        pending.add(() -> reported.add("run-a"));
        pending.commitFailed(Map.of(P0, new OffsetAndMetadata(10)));
        pending.undecided(new TimeoutException("no answer"));
        pending.undecided(new TimeoutException("no answer"));

        assertEquals(1, problems.get());
        assertEquals(List.of("run-a"), reported);
    }

    @Test
    void anAbortBeforeTheCommitForgetsTheProblems() {
        pending.add(() -> reported.add("run-a"));
        pending.aborted();
        pending.settle(Map.of());
        pending.committed();

        assertEquals(0, problems.get());
        assertEquals(List.of(), reported);
    }
}
