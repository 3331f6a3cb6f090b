package dev.lsr.sim.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsShortAndIsoForms() {
        assertEquals(Duration.ofMillis(50), converter.convert("50ms"));
        assertEquals(Duration.ofSeconds(20), converter.convert("20s"));
        assertEquals(Duration.ofHours(3), converter.convert("3h"));
        assertEquals(Duration.ZERO, converter.convert("0"));
        assertEquals(Duration.ofMinutes(90), converter.convert("PT1H30M"));
    }

    /** The one grammar of every tool: the recorder's and the consumer's forms work here too. */
    @Test
    void readsTheFormsOfTheOtherTools() {
        assertEquals(Duration.ofDays(1), converter.convert("1d"));
        assertEquals(Duration.ofSeconds(10), converter.convert("10 s"));
        assertEquals(Duration.ofMillis(50), converter.convert("50MS"));
    }

    @Test
    void rejectsUnitlessNonZeroValues() {
        assertThrows(CommandLine.TypeConversionException.class, () -> converter.convert("20"));
        assertEquals(
                "not a duration: 'soon' (use e.g. 250ms, 10s, 30m, 3h, 1d, PT2S or 0)",
                assertThrows(CommandLine.TypeConversionException.class, () -> converter.convert("soon"))
                        .getMessage());
    }
}
