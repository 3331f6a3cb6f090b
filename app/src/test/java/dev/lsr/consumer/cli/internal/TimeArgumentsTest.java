package dev.lsr.consumer.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void aTimeTooFarBackIsAUsageError() {
        CliException e = assertThrows(CliException.class, () -> TimeArguments.instant("400000000000d", clock));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertTrue(
                e.getMessage().startsWith("not a time: '400000000000d' (further back than any time there is; "),
                e.getMessage());
    }

    @Test
    void aNegativeDurationIsRefused() {
        assertEquals(
                "duration '-PT1S' is negative",
                assertThrows(IllegalArgumentException.class, () -> TimeArguments.duration("-PT1S"))
                        .getMessage());
        for (String ago : new String[] {"P-1D", "-PT2H"}) {
            CliException e = assertThrows(CliException.class, () -> TimeArguments.instant(ago, clock));
            assertEquals(ExitCodes.USAGE, e.exitCode());
            assertTrue(e.getMessage().startsWith("not a time: '" + ago + "' (try "), e.getMessage());
        }
    }

    @Test
    void printsDurationsForPeople() {
        assertEquals("850ms", TimeArguments.humanDuration(Duration.ofMillis(850)));
        assertEquals("12.3s", TimeArguments.humanDuration(Duration.ofMillis(12_340)));
        assertEquals("4m07s", TimeArguments.humanDuration(Duration.ofSeconds(247)));
        assertEquals("2h03m", TimeArguments.humanDuration(Duration.ofMinutes(123)));
    }
}
