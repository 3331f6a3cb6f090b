package dev.lsr.kafka.junit.internal;

import dev.lsr.kafka.junit.Backend;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/** Decides the backend from the {@code lsr.kafka.backend} system property and Docker's reachability. */
public final class BackendSelection {

    /** System property forcing a backend: {@code auto} (default), {@code testcontainers}, {@code embedded}. */
    public static final String BACKEND_PROPERTY = "lsr.kafka.backend";

    private BackendSelection() {
    }

    /** The backend for {@code requested} (a property value, or null for auto). */
    public static Backend select(String requested, BooleanSupplier dockerAvailable) {
        String value = requested == null || requested.isBlank() ? "auto" : requested.strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "embedded" -> Backend.EMBEDDED;
            case "testcontainers" -> Backend.TESTCONTAINERS;
            case "auto" -> dockerAvailable.getAsBoolean() ? Backend.TESTCONTAINERS : Backend.EMBEDDED;
            default -> throw new IllegalArgumentException(BACKEND_PROPERTY + " must be auto, testcontainers or embedded, got '"
                    + requested + "'");
        };
    }
}
