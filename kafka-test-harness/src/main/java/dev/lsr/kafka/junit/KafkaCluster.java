package dev.lsr.kafka.junit;

import dev.lsr.kafka.junit.internal.BackendSelection;
import dev.lsr.kafka.junit.internal.ContainerReadiness;
import dev.lsr.kafka.junit.internal.HarnessContainers;
import dev.lsr.kafka.junit.internal.KafkaImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * A KRaft cluster of several Kafka containers (each broker and controller, static voters) on one
 * Testcontainers network, for the durability tests a single broker cannot run: topics with three
 * replicas and {@code min.insync.replicas=2} by default, a broker killed with SIGKILL and started
 * again on the disk it had. Needs containers ({@link #assumeContainersCanRun()}); runs the same image as
 * the Testcontainers backend ({@code apache/kafka:<kafka.version>} or {@code -Dlsr.kafka.image}), through
 * its start contract only ({@code KAFKA_*} variables, {@code /etc/kafka/docker/run}).
 *
 * <p>Each broker's client port is published on a fixed host port chosen at start, so the advertised
 * address stays right when a killed broker's container is started again.
 */
public final class KafkaCluster implements AutoCloseable {

    private static final String CLUSTER_ID = "lsr-three-broker-cluster";
    private static final int CLIENT_PORT = 9092;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration AWAIT_TIMEOUT = Duration.ofMinutes(3);

    private final Network network;
    private final Map<Integer, GenericContainer<?>> brokers;
    private final Admin admin;

    private KafkaCluster(Network network, Map<Integer, GenericContainer<?>> brokers) {
        this.network = network;
        this.brokers = brokers;
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG,
                "kafka-test-harness-cluster"));
    }

    /**
     * Skips the calling test (a JUnit assumption) where containers cannot run here ({@link ContainerReadiness}: no
     * engine, or the image neither on the machine nor pullable), saying why; fails it instead where
     * {@code lsr.kafka.backend=testcontainers} asks for containers (the build's container execution).
     */
    public static void assumeContainersCanRun() {
        ContainerReadiness readiness = ContainerReadiness.here();
        BackendSelection requested =
                BackendSelection.select(System.getProperty(BackendSelection.BACKEND_PROPERTY), () -> readiness);
        if (!readiness.ready() && requested.forced() && requested.backend() == Backend.TESTCONTAINERS) {
            throw new IllegalStateException(requested.reason() + " asks for containers, but " + readiness.reason());
        }
        Assumptions.assumeTrue(readiness.ready(), readiness.reason());
    }

    /** Starts {@code size} brokers (node ids 1..size) and waits until every one of them is running. */
    public static KafkaCluster start(int size) {
        Network network = Network.newNetwork();
        String voters = IntStream.rangeClosed(1, size)
                .mapToObj(id -> id + "@" + host(id) + ":9094")
                .collect(Collectors.joining(","));
        Map<Integer, GenericContainer<?>> brokers = new LinkedHashMap<>();
        for (int id = 1; id <= size; id++) {
            brokers.put(id, broker(network, id, voters, Math.min(size, 3)));
        }
        try {
            // All at once: a node reports RUNNING only once a quorum of controllers is up.
            Startables.deepStart(brokers.values().stream()
                            .map(HarnessContainers::track)
                            .toList())
                    .join();
            KafkaCluster cluster = new KafkaCluster(network, brokers);
            cluster.awaitBrokers(brokers.keySet());
            return cluster;
        } catch (RuntimeException e) {
            brokers.values().forEach(HarnessContainers::stop);
            network.close();
            throw e;
        }
    }

    private static GenericContainer<?> broker(Network network, int id, String voters, int replicas) {
        int hostPort = freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CLUSTER_ID", CLUSTER_ID);
        env.put("KAFKA_NODE_ID", Integer.toString(id));
        env.put("KAFKA_PROCESS_ROLES", "broker,controller");
        env.put("KAFKA_LISTENERS", "PLAINTEXT://0.0.0.0:9092,BROKER://0.0.0.0:9093,CONTROLLER://0.0.0.0:9094");
        env.put("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://localhost:" + hostPort + ",BROKER://" + host(id) + ":9093");
        env.put("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "BROKER:PLAINTEXT,PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        env.put("KAFKA_INTER_BROKER_LISTENER_NAME", "BROKER");
        env.put("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER");
        env.put("KAFKA_CONTROLLER_QUORUM_VOTERS", voters);
        env.put("KAFKA_LOG_DIRS", "/var/lib/kafka/data");
        env.put("KAFKA_DEFAULT_REPLICATION_FACTOR", Integer.toString(replicas));
        env.put("KAFKA_MIN_INSYNC_REPLICAS", Integer.toString(Math.min(2, replicas)));
        env.put("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", Integer.toString(replicas));
        env.put("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "3");
        env.put("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", Integer.toString(replicas));
        env.put("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", Integer.toString(Math.min(2, replicas)));
        env.put("KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS", "3");
        env.put("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", Integer.toString(replicas));
        env.put("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", Integer.toString(Math.min(2, replicas)));
        env.put("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        env.put("KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE", "false");
        env.put("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        env.put("KAFKA_HEAP_OPTS", "-Xmx512m -Xms128m");
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(KafkaImage.name()))
                .withNetwork(network)
                .withNetworkAliases(host(id))
                .withCreateContainerCmdModifier(cmd -> cmd.withHostName(host(id)))
                .withEnv(env)
                .withExposedPorts(CLIENT_PORT)
                .waitingFor(Wait.forLogMessage(".*Transitioning from RECOVERY to RUNNING.*", 1)
                        .withStartupTimeout(START_TIMEOUT));
        container.setPortBindings(List.of(hostPort + ":" + CLIENT_PORT));
        return container;
    }

    private static String host(int id) {
        return "kafka-" + id;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code bootstrap.servers} naming every broker. */
    public String bootstrapServers() {
        return brokers.values().stream()
                .map(c -> "localhost:" + c.getMappedPort(CLIENT_PORT))
                .collect(Collectors.joining(","));
    }

    /** The node ids, 1..size. */
    public Set<Integer> nodeIds() {
        return brokers.keySet();
    }

    /** A shared Admin for the cluster; closed with it. */
    public Admin admin() {
        return admin;
    }

    /** Creates {@code topic} with the cluster's default replication (3) and waits until every replica is in sync. */
    public void createTopic(String topic, int partitions) {
        get(admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
                .all());
        awaitFullyReplicated(List.of(topic));
    }

    /** The node leading {@code partition} now. */
    public int leaderOf(TopicPartition partition) {
        return describe(partition.topic())
                .partitions()
                .get(partition.partition())
                .leader()
                .id();
    }

    /** The node coordinating {@code transactionalId}'s transactions now. */
    public int transactionCoordinatorOf(String transactionalId) {
        return get(admin.describeTransactions(List.of(transactionalId)).description(transactionalId))
                .coordinatorId();
    }

    /** SIGKILL to broker {@code id}'s process (its container stops; its disk stays). */
    public void kill(int id) {
        GenericContainer<?> container = brokers.get(id);
        DockerClientFactory.instance()
                .client()
                .killContainerCmd(container.getContainerId())
                .withSignal("KILL")
                .exec();
        awaitTrue(
                () -> !Boolean.TRUE.equals(DockerClientFactory.instance()
                        .client()
                        .inspectContainerCmd(container.getContainerId())
                        .exec()
                        .getState()
                        .getRunning()),
                "broker " + id + " stopped");
    }

    /** Starts broker {@code id}'s stopped container again, on the disk it had, and waits until it is registered. */
    public void restart(int id) {
        DockerClientFactory.instance()
                .client()
                .startContainerCmd(brokers.get(id).getContainerId())
                .exec();
        awaitBrokers(Set.of(id));
    }

    /** Waits until every partition of {@code topics} has all its replicas in sync (a restarted broker caught up). */
    public void awaitFullyReplicated(Collection<String> topics) {
        awaitTrue(
                () -> {
                    try {
                        for (TopicDescription description : admin.describeTopics(topics)
                                .allTopicNames()
                                .get(30, TimeUnit.SECONDS)
                                .values()) {
                            for (TopicPartitionInfo partition : description.partitions()) {
                                if (partition.leader() == null
                                        || partition.isr().size()
                                                < partition.replicas().size()) {
                                    return false;
                                }
                            }
                        }
                        return true;
                    } catch (Exception e) {
                        return false;
                    }
                },
                "every replica of " + topics + " in sync");
    }

    /** The container's output so far, for a failure message. */
    public String logs(int id) {
        return brokers.get(id).getLogs();
    }

    private void awaitBrokers(Set<Integer> ids) {
        awaitTrue(
                () -> {
                    try {
                        Set<Integer> registered = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream()
                                .map(Node::id)
                                .collect(Collectors.toSet());
                        return registered.containsAll(ids);
                    } catch (Exception e) {
                        return false;
                    }
                },
                "brokers " + ids + " registered");
    }

    private TopicDescription describe(String topic) {
        return get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
    }

    private static <T> T get(KafkaFuture<T> future) {
        try {
            return future.get(AWAIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + AWAIT_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting: " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Stops every broker and removes the network. */
    @Override
    public void close() {
        try {
            admin.close(Duration.ofSeconds(5));
        } finally {
            List<GenericContainer<?>> all = new ArrayList<>(brokers.values());
            all.forEach(HarnessContainers::stop);
            network.close();
        }
    }
}
