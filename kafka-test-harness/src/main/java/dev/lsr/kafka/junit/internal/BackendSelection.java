package dev.lsr.kafka.junit.internal;

import dev.lsr.kafka.junit.Backend;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The backend chosen from the {@code lsr.kafka.backend} system property and whether containers can run here
 * ({@link ContainerReadiness}: an engine, and the images), with the reason, and whether it was forced (a forced
 * backend never falls back to another).
 */
public record BackendSelection(Backend backend, boolean forced, String reason) {

    /** System property forcing a backend: {@code auto} (default), {@code testcontainers}, {@code embedded}. */
    public static final String BACKEND_PROPERTY = "lsr.kafka.backend";

    /** The selection for {@code requested} (a property value, or null for auto). */
    public static BackendSelection select(String requested, Supplier<ContainerReadiness> containers) {
        String value = requested == null || requested.isBlank()
                ? "auto"
                : requested.strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "embedded" -> new BackendSelection(Backend.EMBEDDED, true, BACKEND_PROPERTY + "=embedded");
            case "testcontainers" ->
                new BackendSelection(Backend.TESTCONTAINERS, true, BACKEND_PROPERTY + "=testcontainers");
            case "auto" -> {
                ContainerReadiness readiness = containers.get();
                yield new BackendSelection(
                        readiness.ready() ? Backend.TESTCONTAINERS : Backend.EMBEDDED, false, readiness.reason());
            }
            default ->
                throw new IllegalArgumentException(
                        BACKEND_PROPERTY + " must be auto, testcontainers or embedded, got '" + requested + "'");
        };
    }
}
