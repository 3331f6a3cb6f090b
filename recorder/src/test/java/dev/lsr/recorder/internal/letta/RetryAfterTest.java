package dev.lsr.recorder.internal.letta;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-10-21T07:28:00Z");

    @Test
    void delaySecondsAreTakenAsTheyAre() {
        assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse(" 120 ", NOW));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("0", NOW));
    }

    @Test
    void anHttpDateIsTheDelayFromWhenTheResponseArrived() {
        assertEquals(Optional.of(Duration.ofSeconds(90)), RetryAfter.parse("Wed, 21 Oct 2026 07:29:30 GMT", NOW));
        assertEquals(
                Optional.of(Duration.ZERO), RetryAfter.parse("Wed, 21 Oct 2026 07:00:00 GMT", NOW), "a past date: now");
    }

    @Test
    void anAbsentOrGarbledValueAsksForNothing() {
        assertEquals(Optional.empty(), RetryAfter.parse(null, NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("-5", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("soon", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("99999999999999999999", NOW));
    }

    @Test
    void theLongerOfRetryAfterAndTheBackoffIsWaited() {
        LettaHttpException throttled = new LettaHttpException("GET /v1/runs/", 429, null, null, Duration.ofSeconds(30));
        assertEquals(Duration.ofSeconds(30), RetryAfter.atLeast(throttled, Duration.ofSeconds(2)));
        assertEquals(Duration.ofSeconds(60), RetryAfter.atLeast(throttled, Duration.ofSeconds(60)));
        assertEquals(
                Duration.ofSeconds(2), RetryAfter.atLeast(new java.io.IOException("reset"), Duration.ofSeconds(2)));
    }

    /** A server asking for hours gets minutes: Letta keeps a run's stream 3 hours, and the runs must be reached. */
    @Test
    void aRetryAfterOfHoursIsWaitedAtMostFiveMinutes() {
        LettaHttpException throttled =
                new LettaHttpException("POST /v1/runs/run-1/stream", 429, null, null, Duration.ofHours(4));
        assertEquals(RetryAfter.LONGEST, RetryAfter.atLeast(throttled, Duration.ofSeconds(2)));
        assertEquals(Duration.ofMinutes(5), RetryAfter.LONGEST);
    }
}
