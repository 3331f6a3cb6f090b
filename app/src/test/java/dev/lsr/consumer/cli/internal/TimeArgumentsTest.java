package dev.lsr.consumer.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lsr.consumer.cli.CliException;
import dev.lsr.consumer.cli.ExitCodes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimeArgumentsTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-03-14T18:00:00Z"), ZoneOffset.UTC);

    @Test
    void parsesShortAndIsoDurations() {
        assertEquals(Duration.ofMillis(500), TimeArguments.duration("500ms"));
        assertEquals(Duration.ofSeconds(10), TimeArguments.duration("10s"));
        assertEquals(Duration.ofHours(2), TimeArguments.duration("2h"));
        assertEquals(Duration.ofSeconds(90), TimeArguments.duration("PT1M30S"));
        assertThrows(IllegalArgumentException.class, () -> TimeArguments.duration("soon"));
    }

    @Test
    void parsesInstantsDatesAndTimesAgo() {
        assertEquals(Instant.parse("2026-03-14T17:00:00Z"), TimeArguments.instant("2026-03-14T17:00:00Z", clock));
        assertEquals(Instant.parse("2026-03-14T00:00:00Z"), TimeArguments.instant("2026-03-14", clock));
        assertEquals(Instant.parse("2026-03-14T16:00:00Z"), TimeArguments.instant("2h", clock));
        assertEquals(
                ExitCodes.USAGE,
                assertThrows(CliException.class, () -> TimeArguments.instant("yesterday-ish", clock))
                        .exitCode());
    }

    @Test
    void printsDurationsForPeople() {
        assertEquals("850ms", TimeArguments.humanDuration(Duration.ofMillis(850)));
        assertEquals("12.3s", TimeArguments.humanDuration(Duration.ofMillis(12_340)));
        assertEquals("4m07s", TimeArguments.humanDuration(Duration.ofSeconds(247)));
        assertEquals("2h03m", TimeArguments.humanDuration(Duration.ofMinutes(123)));
    }
}
