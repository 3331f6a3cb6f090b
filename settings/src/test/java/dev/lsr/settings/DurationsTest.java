package dev.lsr.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @Test
    void readsEveryUnit() {
        assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
        assertEquals(Duration.ofSeconds(10), Durations.parse("10s"));
        assertEquals(Duration.ofMinutes(30), Durations.parse("30m"));
        assertEquals(Duration.ofHours(3), Durations.parse("3h"));
        assertEquals(Duration.ofDays(1), Durations.parse("1d"));
    }

    @Test
    void readsZeroWithAndWithoutAUnit() {
        assertEquals(Duration.ZERO, Durations.parse("0"));
        assertEquals(Duration.ZERO, Durations.parse("0s"));
        assertEquals(Duration.ZERO, Durations.parse("0ms"));
    }

    @Test
    void readsIso8601InEitherCase() {
        assertEquals(Duration.ofSeconds(2), Durations.parse("PT2S"));
        assertEquals(Duration.ofMillis(500), Durations.parse("PT0.5S"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("PT1H30M"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("pt1h30m"));
        assertEquals(Duration.ofDays(2), Durations.parse("P2D"));
    }

    /** The recorder took a space before the unit and the simulator upper case: both still work. */
    @Test
    void toleratesWhiteSpaceAndUpperCaseUnits() {
        assertEquals(Duration.ofSeconds(10), Durations.parse(" 10s "));
        assertEquals(Duration.ofSeconds(10), Durations.parse("10 s"));
        assertEquals(Duration.ofMillis(50), Durations.parse("50MS"));
        assertEquals(Duration.ofHours(3), Durations.parse("3H"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "", " ", "10x", "1.5s", "-1s", "s", "ms10", "10s5", "PT", "P1S"})
    void rejectsWhatIsNoDuration(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertEquals("not a duration: '" + text + "' (use e.g. 250ms, 10s, 30m, 3h, 1d, PT2S or 0)", e.getMessage());
    }

    @Test
    void aBareNumberOtherThanZeroNeedsAUnit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("20"));
        assertEquals(
                "duration '20' needs a unit: ms, s, m, h or d (e.g. 250ms, 10s, 30m, 3h, 1d, PT2S or 0)",
                e.getMessage());
    }

    @Test
    void rejectsDurationsTooLongForJava() {
        assertEquals(
                "duration '99999999999999999999s' is too long",
                assertThrows(IllegalArgumentException.class, () -> Durations.parse("99999999999999999999s"))
                        .getMessage());
        assertEquals(
                "duration '9223372036854775807d' is too long",
                assertThrows(IllegalArgumentException.class, () -> Durations.parse("9223372036854775807d"))
                        .getMessage());
    }

    @Test
    void rejectsNull() {
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(null));
    }
}
