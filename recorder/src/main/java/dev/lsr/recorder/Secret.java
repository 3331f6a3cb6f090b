package dev.lsr.recorder;

import java.util.Objects;

/**
 * A credential (the Letta API key). Its {@link #toString()} never shows the value, so a secret that
 * ends up in a log line, an exception message or a config dump stays secret; only
 * {@link #reveal()} returns it, for the one place that sends it.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** Wraps a non-blank value (surrounding whitespace, e.g. a key file's newline, is dropped). */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        String trimmed = value.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("a secret must not be blank");
        }
        return new Secret(trimmed);
    }

    /** The secret value itself. Call only where it is sent; never log the result. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && secret.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "[redacted]";
    }
}
