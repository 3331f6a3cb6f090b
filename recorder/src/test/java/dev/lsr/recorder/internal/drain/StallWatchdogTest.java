package dev.lsr.recorder.internal.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.recorder.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StallWatchdogTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-14T18:00:00Z"));
    private final StallWatchdog watchdog =
            new StallWatchdog(clock, Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofMinutes(30));
    private final AtomicInteger aborts = new AtomicInteger();
    private final AtomicBoolean stopReasonSeen = new AtomicBoolean();

    @Test
    void aConnectionQuietForTheStallTimeoutIsAborted() {
        StallWatchdog.Watch watch = watchdog.watch(aborts::incrementAndGet, stopReasonSeen::get);
        clock.advance(Duration.ofSeconds(59));
        watchdog.check();
        assertFalse(watch.fired());
        clock.advance(Duration.ofSeconds(1));
        watchdog.check();
        assertTrue(watch.fired());
        assertEquals(1, aborts.get());
        watchdog.check();
        assertEquals(1, aborts.get(), "aborted once");
    }

    /**
     * One connection whose abort throws must not stop the watchdog: it watches every run's connection, and a ticker
     * that died left every stalled connection hanging for good.
     */
    @Test
    void anAbortThatThrowsLeavesTheOtherConnectionsWatched() {
        StallWatchdog.Watch broken = watchdog.watch(
                () -> {
                    throw new IllegalStateException("cancel failed");
                },
                stopReasonSeen::get);
        StallWatchdog.Watch healthy = watchdog.watch(aborts::incrementAndGet, stopReasonSeen::get);
        clock.advance(Duration.ofSeconds(60));

        watchdog.check();

        assertTrue(broken.fired());
        assertTrue(healthy.fired());
        assertEquals(1, aborts.get());
    }

    @Test
    void framesKeepTheConnectionAlive() {
        StallWatchdog.Watch watch = watchdog.watch(aborts::incrementAndGet, stopReasonSeen::get);
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(50));
            watch.frameReceived(true);
            watchdog.check();
        }
        assertFalse(watch.fired());
    }

    @Test
    void afterTheStopReasonOnlyTheGraceIsGiven() {
        StallWatchdog.Watch watch = watchdog.watch(aborts::incrementAndGet, stopReasonSeen::get);
        stopReasonSeen.set(true);
        watch.frameReceived(true);
        clock.advance(Duration.ofMillis(1999));
        watchdog.check();
        assertFalse(watch.fired());
        clock.advance(Duration.ofMillis(1));
        watchdog.check();
        assertTrue(watch.fired());
        assertTrue(watch.describe().contains("stop_reason"));
    }

    @Test
    void pingsAloneDoNotKeepAConnectionForeverOnlyUntilTheAbandonTime() {
        StallWatchdog.Watch watch = watchdog.watch(aborts::incrementAndGet, stopReasonSeen::get);
        for (int i = 0; i < 89; i++) {
            clock.advance(Duration.ofSeconds(20));
            watch.frameReceived(false);
            watchdog.check();
        }
        assertFalse(watch.fired(), "29:40 of pings");
        clock.advance(Duration.ofSeconds(20));
        watch.frameReceived(false);
        watchdog.check();
        assertTrue(watch.fired());
        assertTrue(watch.describe().contains("keepalive"));
    }

    @Test
    void onceTheServerSaysTheRunEndedPingsAloneCountAsAStall() {
        AtomicBoolean serverEnded = new AtomicBoolean(true);
        StallWatchdog.Watch watch = watchdog.watch(aborts::incrementAndGet, stopReasonSeen::get, serverEnded::get);
        for (int i = 0; i < 2; i++) {
            clock.advance(Duration.ofSeconds(20));
            watch.frameReceived(false);
            watchdog.check();
        }
        assertFalse(watch.fired());
        clock.advance(Duration.ofSeconds(20));
        watch.frameReceived(false);
        watchdog.check();
        assertTrue(watch.fired(), "60 s of pings on an ended run");
    }

    @Test
    void aClosedWatchIsForgotten() {
        StallWatchdog.Watch watch = watchdog.watch(aborts::incrementAndGet, stopReasonSeen::get);
        watch.close();
        clock.advance(Duration.ofHours(1));
        watchdog.check();
        assertEquals(0, aborts.get());
    }
}
