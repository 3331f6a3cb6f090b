package dev.lsr.sim.internal.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parses {@code 50ms}, {@code 20s}, {@code 5m}, {@code 3h}, {@code 0} or ISO-8601 ({@code PT3H}). */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.startsWith("pt") || text.startsWith("p")) {
            return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
        }
        Matcher matcher = SIMPLE.matcher(text);
        if (!matcher.matches()) {
            throw new CommandLine.TypeConversionException("not a duration: '" + value + "' (use e.g. 50ms, 20s, 3h)");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? (amount == 0 ? "s" : "") : matcher.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> throw new CommandLine.TypeConversionException("duration '" + value + "' needs a unit: ms, s, m or h");
        };
    }
}
