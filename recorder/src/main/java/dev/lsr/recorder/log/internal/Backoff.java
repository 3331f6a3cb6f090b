package dev.lsr.recorder.log.internal;

import java.time.Duration;

/** An immutable exponential backoff: {@link #next()} returns the successor, doubling up to the maximum. */
record Backoff(Duration current, Duration max) {

    static Backoff start(Duration initial, Duration max) {
        return new Backoff(initial, max);
    }

    Backoff next() {
        Duration doubled = current.multipliedBy(2);
        return new Backoff(doubled.compareTo(max) > 0 ? max : doubled, max);
    }
}
