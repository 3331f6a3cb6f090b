package dev.lsr.kafka.junit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lsr.kafka.junit.Backend;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class BackendSelectionTest {

    private static final BooleanSupplier DOCKER = () -> true;
    private static final BooleanSupplier NO_DOCKER = () -> false;
    private static final BooleanSupplier MUST_NOT_ASK = () -> {
        throw new AssertionError("a forced backend must not probe Docker");
    };

    @Test
    void autoPicksTestcontainersWhereDockerIsReachableElseEmbedded() {
        assertEquals(
                new BackendSelection(Backend.TESTCONTAINERS, false, "a Docker engine is reachable"),
                BackendSelection.select(null, DOCKER));
        assertEquals(
                new BackendSelection(Backend.EMBEDDED, false, "no Docker engine reachable"),
                BackendSelection.select(null, NO_DOCKER));
        assertEquals(
                Backend.EMBEDDED, BackendSelection.select(" AUTO ", NO_DOCKER).backend());
    }

    @Test
    void aForcedBackendWinsWithoutProbingDocker() {
        assertEquals(
                new BackendSelection(Backend.EMBEDDED, true, "lsr.kafka.backend=embedded"),
                BackendSelection.select("embedded", MUST_NOT_ASK));
        assertEquals(
                new BackendSelection(Backend.TESTCONTAINERS, true, "lsr.kafka.backend=testcontainers"),
                BackendSelection.select("Testcontainers", MUST_NOT_ASK));
    }

    @Test
    void anUnknownValueIsRejectedNamingTheProperty() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> BackendSelection.select("docker", MUST_NOT_ASK));
        assertEquals("lsr.kafka.backend must be auto, testcontainers or embedded, got 'docker'", e.getMessage());
    }
}
