package dev.lsr.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CheckCallsTest {

    /**
     * No thread for a call (a JVM out of memory or threads): the call ends failed at once instead of "still running"
     * for good, which kept every later run waiting for it; the next call gets a thread of its own again.
     */
    @Test
    void aCallWhoseThreadDidNotStartEndsFailed() throws Exception {
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory noThreadTheFirstTime = task -> {
            if (threads.incrementAndGet() == 1) {
                throw new IllegalStateException("no thread");
            }
            return Thread.ofVirtual().unstarted(task);
        };
        CheckCalls calls = new CheckCalls(HealthCheck.Result::ok, noThreadTheFirstTime);

        CheckCalls.Call first = calls.call();
        ExecutionException failed =
                assertThrows(ExecutionException.class, () -> first.result().get(5, TimeUnit.SECONDS));
        assertEquals("no thread", failed.getCause().getMessage());
        assertTrue(calls.call().result().get(5, TimeUnit.SECONDS).up(), "the next call, on a thread");
    }
}
