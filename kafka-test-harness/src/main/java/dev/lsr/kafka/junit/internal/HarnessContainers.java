package dev.lsr.kafka.junit.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.testcontainers.containers.GenericContainer;

/**
 * The harness's own reaper, since Ryuk (Testcontainers' reaper container) cannot be pulled where no
 * registry is reachable and runs with {@code TESTCONTAINERS_RYUK_DISABLED=true}: every container the
 * harness starts carries {@link #LABEL}, is stopped by whoever started it, and a JVM shutdown hook stops
 * those still running when the test JVM exits. A JVM killed outright leaves them behind:
 * {@code bin/lib/docker-ci.sh} removes every container with the label after the build
 * ({@code docker rm -f $(docker ps -aq --filter label=dev.lsr.kafka-test-harness)}).
 */
public final class HarnessContainers {

    /** The label on every container the harness starts. */
    public static final String LABEL = "dev.lsr.kafka-test-harness";

    private static final Set<GenericContainer<?>> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(
                        Thread.ofPlatform().name("kafka-test-harness-reaper").unstarted(() -> {
                            for (GenericContainer<?> container : RUNNING) {
                                container.stop();
                            }
                        }));
    }

    private HarnessContainers() {}

    /** Labels {@code container}, starts it and tracks it until {@link #stop}; stops it again if the start fails. */
    public static <C extends GenericContainer<?>> C start(C container) {
        track(container);
        try {
            container.start();
        } catch (RuntimeException e) {
            stop(container);
            throw e;
        }
        return container;
    }

    /** Labels {@code container} and tracks it until {@link #stop}, for a caller that starts it itself. */
    public static <C extends GenericContainer<?>> C track(C container) {
        container.withLabel(LABEL, "true");
        RUNNING.add(container);
        return container;
    }

    /** Stops and removes {@code container}. */
    public static void stop(GenericContainer<?> container) {
        try {
            container.stop();
        } finally {
            RUNNING.remove(container);
        }
    }
}
