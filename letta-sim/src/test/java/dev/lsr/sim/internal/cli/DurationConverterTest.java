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

    @Test
    void rejectsUnitlessNonZeroValues() {
        assertThrows(CommandLine.TypeConversionException.class, () -> converter.convert("20"));
        assertThrows(CommandLine.TypeConversionException.class, () -> converter.convert("soon"));
    }
}
