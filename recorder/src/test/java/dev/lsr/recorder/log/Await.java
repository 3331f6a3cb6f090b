package dev.lsr.recorder.log;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition the test observes, with a bound generous enough for a loaded machine. */
final class Await {

    private static final Duration BOUND = Duration.ofSeconds(120);

    private Await() {
    }

    static void until(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(50);
        }
    }
}
