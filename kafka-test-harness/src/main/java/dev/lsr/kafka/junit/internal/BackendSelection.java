package dev.lsr.kafka.junit.internal;

import dev.lsr.kafka.junit.Backend;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * The backend chosen from the {@code lsr.kafka.backend} system property and Docker's reachability,
 * with the reason, and whether it was forced (a forced backend never falls back to another).
 */
public record BackendSelection(Backend backend, boolean forced, String reason) {

    /** System property forcing a backend: {@code auto} (default), {@code testcontainers}, {@code embedded}. */
    public static final String BACKEND_PROPERTY = "lsr.kafka.backend";

    /** The selection for {@code requested} (a property value, or null for auto). */
    public static BackendSelection select(String requested, BooleanSupplier dockerAvailable) {
        String value = requested == null || requested.isBlank()
                ? "auto"
                : requested.strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "embedded" -> new BackendSelection(Backend.EMBEDDED, true, BACKEND_PROPERTY + "=embedded");
            case "testcontainers" ->
                new BackendSelection(Backend.TESTCONTAINERS, true, BACKEND_PROPERTY + "=testcontainers");
            case "auto" ->
                dockerAvailable.getAsBoolean()
                        ? new BackendSelection(Backend.TESTCONTAINERS, false, "a Docker engine is reachable")
                        : new BackendSelection(Backend.EMBEDDED, false, "no Docker engine reachable");
            default ->
                throw new IllegalArgumentException(
                        BACKEND_PROPERTY + " must be auto, testcontainers or embedded, got '" + requested + "'");
        };
    }
}
