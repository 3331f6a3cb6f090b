package dev.lsr.recorder.log.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.recorder.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StopBackoffTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
    private final StopBackoff backoff = new StopBackoff(clock);

    @Test
    void eachStopWithinTheMemoryDoublesTheWaitUpToTheMaximum() {
        assertEquals(Duration.ofMillis(500), backoff.delayAfterStop(1));
        assertEquals(Duration.ofSeconds(1), backoff.delayAfterStop(1));
        assertEquals(Duration.ofSeconds(2), backoff.delayAfterStop(1));
        for (int i = 0; i < 20; i++) {
            backoff.delayAfterStop(1);
        }
        assertEquals(StopBackoff.MAX_STOP_DELAY, backoff.delayAfterStop(1));
        assertEquals(Duration.ofMillis(500), backoff.delayAfterStop(2), "each partition has its own stops");
    }

    @Test
    void stopsOlderThanTheMemoryNoLongerLengthenTheWait() {
        backoff.delayAfterStop(1);
        backoff.delayAfterStop(1);
        clock.advance(StopBackoff.STOP_MEMORY.plusSeconds(1));
        assertEquals(Duration.ofMillis(500), backoff.delayAfterStop(1));
    }
}
