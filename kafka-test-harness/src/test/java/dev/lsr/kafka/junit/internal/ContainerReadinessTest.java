package dev.lsr.kafka.junit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;

class ContainerReadinessTest {

    private static final String KAFKA = "apache/kafka:4.4.0";
    private static final String RYUK = "testcontainers/ryuk:0.13.0";

    /** Images on the machine, and what a pull finds: those it can fetch, else the engine's error. */
    private static final class Images implements ContainerReadiness.Images {
        final Set<String> local;
        final Set<String> pullable;
        final List<String> pulled = new ArrayList<>();

        Images(Set<String> local, Set<String> pullable) {
            this.local = local;
            this.pullable = pullable;
        }

        @Override
        public boolean isLocal(String image) {
            return local.contains(image);
        }

        @Override
        public void pull(String image, Duration timeout) {
            pulled.add(image);
            if (!pullable.contains(image)) {
                throw new IllegalStateException(
                        "Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io: no such host");
            }
        }
    }

    @Test
    void noEngineIsNotReadyWithoutLookingAtImages() {
        Images images = new Images(Set.of(), Set.of());

        ContainerReadiness readiness = ContainerReadiness.check(() -> false, images, List.of(KAFKA));

        assertEquals(new ContainerReadiness(false, "no Docker engine reachable"), readiness);
        assertEquals(List.of(), images.pulled);
    }

    @Test
    void imagesOnTheMachineAreNotPulled() {
        Images images = new Images(Set.of(KAFKA, RYUK), Set.of());

        ContainerReadiness readiness = ContainerReadiness.check(() -> true, images, List.of(KAFKA, RYUK));

        assertTrue(readiness.ready(), readiness.reason());
        assertEquals(List.of(), images.pulled);
    }

    @Test
    void aMissingImageIsPulledOnce() {
        Images images = new Images(Set.of(RYUK), Set.of(KAFKA));

        assertTrue(ContainerReadiness.check(() -> true, images, List.of(KAFKA, RYUK))
                .ready());
        assertEquals(List.of(KAFKA), images.pulled);
    }

    @Test
    void anEngineWhoseRegistryIsOutOfReachIsNotReadyNamingTheImage() {
        Images images = new Images(Set.of(KAFKA), Set.of());

        ContainerReadiness readiness = ContainerReadiness.check(() -> true, images, List.of(KAFKA, RYUK));

        assertFalse(readiness.ready());
        assertEquals(
                "a Docker engine answers, but image " + RYUK + " is not on this machine and cannot be pulled (Get"
                        + " \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io: no such host)",
                readiness.reason());
    }

    @Test
    void ryuksImageIsNeededUnlessRyukIsDisabled() {
        assertEquals(List.of(KAFKA), ContainerReadiness.imagesNeeded(KAFKA, true));
        assertEquals(List.of(KAFKA, ContainerReadiness.RYUK_IMAGE), ContainerReadiness.imagesNeeded(KAFKA, false));
    }

    /**
     * The Ryuk image named here is the one the Testcontainers on the class path starts: its {@code RyukContainer}
     * names it as a constant. Read from the class file, since resolving a container's image would pull it.
     */
    @Test
    void theRyukImageIsTheOneTestcontainersRuns() throws Exception {
        try (InputStream in = GenericContainer.class
                .getClassLoader()
                .getResourceAsStream("org/testcontainers/utility/RyukContainer.class")) {
            assertNotNull(in, "Testcontainers has no RyukContainer any more");
            String classFile = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(classFile.contains(ContainerReadiness.RYUK_IMAGE), "RyukContainer runs another image");
        }
    }
}
