package dev.lsr.bench.system.internal;

import dev.lsr.kernel.LifecycleState;
import dev.lsr.recorder.RecorderConfig;
import dev.lsr.recorder.RecorderDaemon;
import dev.lsr.recorder.RecorderFailure;
import java.time.Duration;
import java.util.List;

/**
 * The recorder daemon running in this JVM on its own thread, with its hooks counting commits.
 */
final class InProcessRecorder implements AutoCloseable {

    private final RecorderDaemon daemon;
    private final CommitCounter counter;
    private final Thread thread;
    private final long runningNanos;

    private InProcessRecorder(RecorderDaemon daemon, CommitCounter counter, Thread thread, long runningNanos) {
        this.daemon = daemon;
        this.counter = counter;
        this.thread = thread;
        this.runningNanos = runningNanos;
    }

    /** The config every scenario starts from: this broker and sim, a fresh topic, attach these runs, no watching. */
    static RecorderConfig.Builder config(
            String bootstrapServers,
            String lettaBaseUrl,
            String topic,
            Duration commitWindow,
            List<String> attachRunIds) {
        return RecorderConfig.builder(lettaBaseUrl)
                .bootstrapServers(bootstrapServers)
                .topic(topic)
                .partitions(Sizes.PARTITIONS)
                .commitWindow(commitWindow)
                .watch(false)
                .stopWhenIdle(true)
                .attachRunIds(attachRunIds)
                .shutdownTimeout(Duration.ofSeconds(30))
                .kafkaProperties(extraKafkaProperties());
    }

    /** Experiments: {@code -Dbench.recorder.kafka=producer.batch.size=262144,producer.linger.ms=0}. */
    static java.util.Map<String, String> extraKafkaProperties() {
        java.util.Map<String, String> props = new java.util.TreeMap<>();
        String spec = System.getProperty("bench.recorder.kafka", "");
        for (String pair : spec.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                props.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
        }
        return props;
    }

    /** Starts the daemon and waits until it is RUNNING (its runs are attached right then). */
    static InProcessRecorder start(RecorderConfig config) {
        CommitCounter counter = new CommitCounter();
        RecorderDaemon daemon = RecorderDaemon.builder(config)
                .listener(counter)
                .runLogListener(counter)
                .build();
        Thread thread = Thread.ofPlatform().name("bench-recorder").start(daemon);
        try {
            if (!daemon.awaitRunning(Duration.ofSeconds(60))) {
                daemon.close();
                throw new IllegalStateException("the recorder did not start: " + daemon.state()
                        + daemon.failure().map(f -> " (" + f.message() + ")").orElse(""));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return new InProcessRecorder(daemon, counter, thread, System.nanoTime());
    }

    CommitCounter counter() {
        return counter;
    }

    /** {@link System#nanoTime()} when the daemon was seen RUNNING. */
    long runningNanos() {
        return runningNanos;
    }

    /** Waits for the daemon to stop by itself (not watching: once every run ended). */
    void awaitStopped(Duration timeout) {
        try {
            thread.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("the recorder did not finish its runs within " + timeout);
        }
        requireHealthy();
    }

    /** Throws when the daemon failed. */
    void requireHealthy() {
        if (daemon.state() == LifecycleState.FAILED || daemon.failure().isPresent()) {
            throw new IllegalStateException("the recorder failed: "
                    + daemon.failure().map(RecorderFailure::message).orElse(String.valueOf(counter.failure())));
        }
    }

    @Override
    public void close() {
        daemon.close();
        try {
            thread.join(Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
