package dev.lsr.kafka.junit.internal;

import dev.lsr.kafka.PartitionLeaders;
import dev.lsr.kafka.junit.Backend;
import dev.lsr.kafka.junit.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one broker of a test JVM with its shared {@link Admin}; closed by JUnit's root store. */
public final class SuiteBroker implements KafkaBroker, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SuiteBroker.class);
    private static final long CREATE_TOPIC_TIMEOUT_SECONDS = 60;

    private final RunningBroker running;
    private final Admin admin;
    private final UniqueNames names = new UniqueNames();

    private SuiteBroker(RunningBroker running) {
        this.running = running;
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                running.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG,
                "kafka-test-harness"));
    }

    /** Starts the backend chosen by {@link BackendSelection} and logs one line saying which and why. */
    public static SuiteBroker start() {
        long startNanos = System.nanoTime();
        BackendSelection selection = BackendSelection.select(
                System.getProperty(BackendSelection.BACKEND_PROPERTY), ContainerReadiness::here);
        RunningBroker running = startRunning(selection);
        try {
            SuiteBroker broker = new SuiteBroker(running);
            log.info(
                    "Kafka test broker: {} at {} ({}; ready in {} ms)",
                    running.backend(),
                    running.bootstrapServers(),
                    selection.reason(),
                    (System.nanoTime() - startNanos) / 1_000_000);
            return broker;
        } catch (RuntimeException e) {
            running.close();
            throw e;
        }
    }

    private static RunningBroker startRunning(BackendSelection selection) {
        if (selection.backend() == Backend.EMBEDDED) {
            return EmbeddedBackend.start();
        }
        try {
            return ContainerBackend.start(KafkaImage.name());
        } catch (RuntimeException e) {
            if (selection.forced()) {
                throw e;
            }
            log.warn("Testcontainers Kafka did not start ({}); falling back to the embedded broker", e.toString());
            return EmbeddedBackend.start();
        }
    }

    @Override
    public String bootstrapServers() {
        return running.bootstrapServers();
    }

    @Override
    public Backend backend() {
        return running.backend();
    }

    @Override
    public String uniqueTopic(String prefix) {
        return names.next(prefix);
    }

    @Override
    public String uniqueId(String prefix) {
        return names.next(prefix);
    }

    @Override
    public void createTopic(String topic, int partitions) {
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(CREATE_TOPIC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<TopicPartition> created = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                created.add(new TopicPartition(topic, p));
            }
            PartitionLeaders.await(admin, created, Duration.ofSeconds(CREATE_TOPIC_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Admin admin() {
        return admin;
    }

    @Override
    public void close() {
        try {
            admin.close();
        } finally {
            running.close();
        }
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + backend() + " at " + bootstrapServers() + "]";
    }
}
