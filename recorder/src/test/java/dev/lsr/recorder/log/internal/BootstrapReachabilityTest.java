package dev.lsr.recorder.log.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.recorder.log.RunLogStartException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BootstrapReachabilityTest {

    private static final Duration START_TIMEOUT = Duration.ofMillis(600);

    /**
     * CI failed once with "cannot be reached (no answer within 0 ms ...)" for a port where nothing
     * listens: the last attempt had no time left, and on a loaded machine the refusal came later than
     * the 1 ms that remained. The reason the full attempts gave must survive that last cut-short one.
     */
    @Test
    void aLastAttemptCutShortByTheDeadlineDoesNotHideTheRealReason() {
        AtomicInteger attempts = new AtomicInteger();
        BootstrapReachability.Connector loadedMachine = (address, timeout) -> {
            attempts.incrementAndGet();
            if (timeout.toMillis() < 50) {
                throw new SocketTimeoutException("Connect timed out");
            }
            throw new ConnectException("Connection refused");
        };
        RunLogStartException e = assertThrows(
                RunLogStartException.class,
                () -> BootstrapReachability.await(
                        "127.0.0.1:9", START_TIMEOUT, Deadline.after(START_TIMEOUT), loadedMachine));
        assertTrue(attempts.get() >= 2, "retried until the deadline: " + attempts.get());
        assertEquals(
                "Kafka at 127.0.0.1:9 cannot be reached (Connection refused; tried for the start timeout, 0 s)",
                e.getMessage());
    }

    @Test
    void anAddressThatNeverAnswersSaysSo() {
        BootstrapReachability.Connector silent = (address, timeout) -> {
            throw new SocketTimeoutException("Connect timed out");
        };
        RunLogStartException e = assertThrows(
                RunLogStartException.class,
                () -> BootstrapReachability.await(
                        "10.255.255.1:9092", START_TIMEOUT, Deadline.after(START_TIMEOUT), silent));
        assertTrue(
                e.getMessage().startsWith("Kafka at 10.255.255.1:9092 cannot be reached (no answer within "),
                e.getMessage());
    }
}
