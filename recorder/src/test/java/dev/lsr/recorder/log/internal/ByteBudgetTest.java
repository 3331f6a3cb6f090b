package dev.lsr.recorder.log.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.lsr.recorder.log.RunLogClosedException;
import dev.lsr.recorder.log.RunLogConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ByteBudgetTest {

    @Test
    void anAppendWaitsForSpaceUntilCommittedBytesAreReleased() throws Exception {
        ByteBudget budget = new ByteBudget(100);
        budget.acquire(80);
        Thread blocked = Thread.ofVirtual().start(() -> budget.acquire(30));

        awaitWaiting(blocked);
        assertEquals(80, budget.usedBytes(), "the second append is held back");
        budget.release(80);

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> blocked.join());
        assertEquals(30, budget.usedBytes());
    }

    @Test
    void aRecordBiggerThanTheWholeBudgetPassesAlone() {
        ByteBudget budget = new ByteBudget(100);
        budget.acquire(500);
        assertEquals(500, budget.usedBytes());
    }

    @Test
    void stoppingWakesBlockedAppendsWithTheReason() throws Exception {
        ByteBudget budget = new ByteBudget(100);
        budget.acquire(100);
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> budget.acquire(1));

        budget.stop(new RunLogClosedException("run log is closed"));

        ExecutionException e = assertThrows(ExecutionException.class, () -> blocked.get(30, TimeUnit.SECONDS));
        assertEquals("run log is closed", e.getCause().getMessage());
        assertThrows(RunLogClosedException.class, () -> budget.acquire(1));
    }

    @Test
    void eachOwnedPartitionGetsAnEqualShareOfAtLeastOneTransaction() {
        RunLogConfig config = RunLogConfig.builder("localhost:9092")
                .maxBatchBytes(1 << 20)
                .maxPendingBytes(32L << 20)
                .build();

        assertEquals((32L << 20) / 6, ByteBudget.shareOf(config, 6).maxBytes());
        assertEquals(32L << 20, ByteBudget.shareOf(config, 1).maxBytes());
        assertEquals(1 << 20, ByteBudget.shareOf(config, 64).maxBytes(), "a share always holds a full transaction");
    }

    private static void awaitWaiting(Thread thread) throws InterruptedException {
        await("the thread waits")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> thread.getState() == Thread.State.WAITING);
        assertEquals(Thread.State.WAITING, thread.getState());
        assertFalse(!thread.isAlive());
    }
}
