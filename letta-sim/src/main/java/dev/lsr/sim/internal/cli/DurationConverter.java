package dev.lsr.sim.internal.cli;

import dev.lsr.settings.Durations;
import java.time.Duration;
import picocli.CommandLine;

/**
 * Reads the simulator's durations with the one grammar of every tool, {@link Durations}: {@code 50ms},
 * {@code 20s}, {@code 3h}, {@code 0}, {@code PT3H}.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
