package dev.lsr.recorder.internal.run;

import java.time.Duration;

/** Waits between attempts. Real time in the daemon; tests move a clock instead. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    /** {@link Thread#sleep(Duration)}: interruptible, so a stopping recorder wakes its runs. */
    Sleeper REAL = duration -> {
        if (duration.isPositive()) {
            Thread.sleep(duration);
        }
    };
}
