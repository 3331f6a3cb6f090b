package dev.lsr.kafka.junit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lsr.kafka.junit.Backend;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class BackendSelectionTest {

    private static final Supplier<ContainerReadiness> DOCKER =
            () -> new ContainerReadiness(true, "a Docker engine answers and has apache/kafka:4.4.0");
    private static final Supplier<ContainerReadiness> NO_IMAGE = () -> new ContainerReadiness(
            false, "a Docker engine answers, but image apache/kafka:4.4.0 is not on this machine and cannot be pulled");
    private static final Supplier<ContainerReadiness> MUST_NOT_ASK = () -> {
        throw new AssertionError("a forced backend must not probe Docker");
    };

    @Test
    void autoPicksTestcontainersWhereContainersCanRunElseEmbeddedSayingWhy() {
        assertEquals(
                new BackendSelection(
                        Backend.TESTCONTAINERS, false, "a Docker engine answers and has apache/kafka:4.4.0"),
                BackendSelection.select(null, DOCKER));
        assertEquals(
                new BackendSelection(
                        Backend.EMBEDDED,
                        false,
                        "a Docker engine answers, but image apache/kafka:4.4.0 is not on this machine and cannot be"
                                + " pulled"),
                BackendSelection.select(null, NO_IMAGE));
        assertEquals(
                Backend.EMBEDDED, BackendSelection.select(" AUTO ", NO_IMAGE).backend());
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
