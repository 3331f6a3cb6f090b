package dev.lsr.kafka.junit.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * Whether containers can run here: a Docker engine answers, <b>and</b> every image a harness container start
 * needs is on the machine or can be pulled now. An engine whose registry is out of reach (machines where
 * {@code .ci/run} started {@code dockerd} and built local stand-ins; a later build without
 * {@code -Dlsr.kafka.image} asks for {@code apache/kafka}) would otherwise send every container start into
 * Testcontainers' pull retries, minutes each, before failing. Checked once per test JVM ({@link #here()}).
 *
 * @param ready  whether a container start can be expected to work
 * @param reason why, in words for a log line or a skipped test
 */
public record ContainerReadiness(boolean ready, String reason) {

    /** The environment variable that disables Ryuk, Testcontainers' reaper container (read by Testcontainers). */
    static final String RYUK_DISABLED = "TESTCONTAINERS_RYUK_DISABLED";
    /**
     * The image Testcontainers starts Ryuk from (its {@code RyukContainer}, package-private, names it; the
     * configuration's {@code getRyukImage()} is deprecated and has no tag). {@code ContainerReadinessTest} checks it
     * against the Testcontainers on the class path, so an upgrade that changes it fails a test.
     */
    static final String RYUK_IMAGE = "testcontainers/ryuk:0.14.0";
    /** How long one image pull may take before the containers count as unready. */
    static final Duration PULL_TIMEOUT = Duration.ofMinutes(3);

    private static ContainerReadiness here;

    /** Where images are: the engine's, or a test's stand-in. */
    interface Images {
        boolean isLocal(String image);

        /** Pulls {@code image}; throws with the engine's message when it cannot. */
        void pull(String image, Duration timeout) throws Exception;
    }

    /** This machine's readiness for the harness's containers (the Kafka image, and Ryuk unless disabled), once per JVM. */
    public static synchronized ContainerReadiness here() {
        if (here == null) {
            here = of(imagesNeeded(KafkaImage.name(), Boolean.parseBoolean(System.getenv(RYUK_DISABLED))));
        }
        return here;
    }

    /** Whether this machine's Docker engine answers and has, or can pull now, every one of {@code images}. */
    public static ContainerReadiness of(List<String> images) {
        return check(ContainerReadiness::engineAnswers, new EngineImages(), images);
    }

    /**
     * Whether a Docker engine answers, asked without Testcontainers' client: its {@code isDockerAvailable()} starts
     * Ryuk on first use, pulling Ryuk's image with retries for minutes where no registry is reachable.
     */
    public static boolean engineAnswers() {
        try (DockerClient client = EngineImages.client()) {
            client.pingCmd().exec();
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The images a harness container start pulls: {@code kafkaImage}, and Ryuk's unless it is disabled. */
    static List<String> imagesNeeded(String kafkaImage, boolean ryukDisabled) {
        List<String> images = new ArrayList<>();
        images.add(kafkaImage);
        if (!ryukDisabled) {
            images.add(RYUK_IMAGE);
        }
        return images;
    }

    static ContainerReadiness check(BooleanSupplier engineAnswers, Images images, List<String> needed) {
        if (!engineAnswers.getAsBoolean()) {
            return new ContainerReadiness(false, "no Docker engine reachable");
        }
        for (String image : needed) {
            try {
                if (!images.isLocal(image)) {
                    try {
                        images.pull(image, PULL_TIMEOUT);
                    } catch (Exception e) {
                        return unready(e, "image " + image + " is not on this machine and cannot be pulled");
                    }
                }
            } catch (RuntimeException e) {
                return unready(e, "asking it for image " + image + " failed");
            }
        }
        return new ContainerReadiness(true, "a Docker engine answers and has " + String.join(", ", needed));
    }

    private static ContainerReadiness unready(Exception e, String what) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new ContainerReadiness(false, "a Docker engine answers, but " + what + " (" + e.getMessage() + ")");
    }

    /**
     * The Docker engine's images, through a plain client on Testcontainers' transport (not its own client, which
     * starts Ryuk).
     */
    private static final class EngineImages implements Images {

        @Override
        public boolean isLocal(String image) {
            try (DockerClient client = client()) {
                client.inspectImageCmd(image).exec();
                return true;
            } catch (NotFoundException e) {
                return false;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void pull(String image, Duration timeout) throws Exception {
            DockerImageName name = DockerImageName.parse(image);
            try (DockerClient client = client()) {
                boolean done = client.pullImageCmd(name.getUnversionedPart())
                        .withTag(name.getVersionPart())
                        .exec(new PullImageResultCallback())
                        .awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!done) {
                    throw new IllegalStateException("no answer within " + timeout);
                }
            }
        }

        private static DockerClient client() {
            return DockerClientProviderStrategy.getClientForConfig(
                    DockerClientFactory.instance().getTransportConfig());
        }
    }
}
