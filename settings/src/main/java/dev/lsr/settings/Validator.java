package dev.lsr.settings;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A rule a setting's value must keep, as in Kafka's {@code ConfigDef.Validator}.
 *
 * @param expectation what a valid value is, completing "is not ...": {@code a positive duration}
 * @param test        true for a valid value (never given null)
 * @param showsValue  false when the value must not appear in the error (it may hold a credential,
 *                    e.g. a URL with a password)
 */
public record Validator<T>(String expectation, Predicate<? super T> test, boolean showsValue) {

    public Validator {
        Objects.requireNonNull(expectation, "expectation");
        Objects.requireNonNull(test, "test");
    }

    public static <T> Validator<T> of(String expectation, Predicate<? super T> test) {
        return new Validator<>(expectation, test, true);
    }

    /** The same rule, but its error never shows the value. */
    public Validator<T> hidingValue() {
        return new Validator<>(expectation, test, false);
    }

    public boolean accepts(T value) {
        return test.test(value);
    }

    /** {@code min} or more. */
    public static Validator<Integer> atLeast(int min) {
        return of(min == 1 ? "a positive whole number" : "a whole number of at least " + min, v -> v >= min);
    }

    /** Within {@code min..max}, both included. */
    public static Validator<Integer> between(int min, int max) {
        return of("a whole number within " + min + ".." + max, v -> v >= min && v <= max);
    }

    /** Longer than zero. */
    public static Validator<Duration> positive() {
        return of("a positive duration", Duration::isPositive);
    }

    /**
     * Longer than zero and at most {@code max}: for durations a client keeps in milliseconds as an int (OkHttp), or
     * that must stay below Letta's stream retention.
     *
     * @param shown {@code max} as the user writes it, e.g. {@code 1h}
     */
    public static Validator<Duration> positiveAtMost(Duration max, String shown) {
        return of("a positive duration of at most " + shown, d -> d.isPositive() && d.compareTo(max) <= 0);
    }

    /** Zero (usually: off) or longer. */
    public static Validator<Duration> notNegative() {
        return of("a duration of zero or more", d -> !d.isNegative());
    }

    /** One of {@code allowed}, exactly. */
    public static Validator<String> oneOf(Collection<String> allowed) {
        List<String> copy = List.copyOf(allowed);
        return of("one of " + String.join(", ", copy), copy::contains);
    }

    /** Not empty nor only white space. */
    public static Validator<String> notBlank() {
        return of("a non-blank text", v -> !v.isBlank());
    }
}
