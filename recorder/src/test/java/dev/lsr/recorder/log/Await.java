package dev.lsr.recorder.log;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition the test observes, with a bound generous enough for a loaded machine. */
final class Await {

    private static final Duration BOUND = Duration.ofSeconds(120);

    private Await() {}

    static void until(BooleanSupplier condition, String what) throws InterruptedException {
        await(what).atMost(BOUND).pollInterval(Duration.ofMillis(50)).until(condition::getAsBoolean);
    }
}
