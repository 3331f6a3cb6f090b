package dev.lsr.recorder.log.internal;

import java.time.Duration;

/** A point in monotonic time that bounds a sequence of blocking steps. */
record Deadline(long atNanos) {

    static Deadline after(Duration timeout) {
        return new Deadline(System.nanoTime() + timeout.toNanos());
    }

    Duration remaining() {
        return Duration.ofNanos(Math.max(0, atNanos - System.nanoTime()));
    }

    boolean isOver() {
        return atNanos - System.nanoTime() <= 0;
    }

    /** Sleeps for {@code pause}, or what is left if less. */
    void sleep(Duration pause) {
        try {
            Thread.sleep(pause.compareTo(remaining()) < 0 ? pause : remaining());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
