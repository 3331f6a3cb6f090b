package dev.lsr.recorder.log.internal;

import dev.lsr.recorder.log.RunLogStartException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Kafka operator expects of the durability of the recorder's topics: created topics get the
 * configured replication factor (else the broker's {@code default.replication.factor}) and
 * {@code min.insync.replicas = min(2, RF)}, so an {@code acks=all} commit survives one broker's loss
 * without stopping the recorder when one replica is down. Weaker topics on a multi-broker cluster are
 * warned about (never refused: an operator may choose them). Also logs the broker's transaction
 * protocol version, which decides how commits and fencing behave (transactions v2 on Kafka 4.x).
 */
final class Durability {

    private static final Logger LOG = LoggerFactory.getLogger(Durability.class);
    static final int RECOMMENDED_REPLICAS = 3;
    static final int RECOMMENDED_MIN_ISR = 2;
    private static final String TRANSACTION_VERSION = "transaction.version";

    private final int brokers;
    private final Optional<Short> brokerDefaultReplication;

    private Durability(int brokers, Optional<Short> brokerDefaultReplication) {
        this.brokers = brokers;
        this.brokerDefaultReplication = brokerDefaultReplication;
    }

    /** Reads the cluster's size and defaults; logs the transaction protocol version. */
    static Durability inspect(Admin admin, Deadline deadline) {
        KafkaFuture<FeatureMetadata> features = admin.describeFeatures().featureMetadata(); // in flight meanwhile
        Collection<Node> nodes;
        try {
            nodes = AdminCalls.await(admin.describeCluster().nodes(), "describe the cluster", deadline);
        } catch (RunLogStartException e) {
            // only advice depends on it; the topic calls that follow say what is wrong with the cluster
            LOG.info("{}; no replication advice", e.getMessage());
            return new Durability(0, Optional.empty());
        }
        Durability durability = new Durability(nodes.size(), defaultReplication(admin, nodes, deadline));
        logTransactionVersion(features, deadline);
        return durability;
    }

    /** The replication factor for a new topic: the configured one, else the broker's default (empty: unknown). */
    Optional<Short> replicationFor(short configured) {
        return configured > 0 ? Optional.of(configured) : brokerDefaultReplication;
    }

    /** {@code min.insync.replicas} for a new topic with {@code replication} replicas: min(2, RF). */
    static String minInsyncReplicas(short replication) {
        return Integer.toString(Math.min(RECOMMENDED_MIN_ISR, replication));
    }

    /** Warns about a created topic's replication factor below 3 (a single-broker cluster has no choice). */
    void warnCreated(String topic, Optional<Short> replication) {
        if (brokers > 1 && replication.isPresent() && replication.get() < RECOMMENDED_REPLICAS) {
            LOG.warn(
                    "created topic {} with replication factor {} (below {}): losing a broker can lose recorded"
                            + " runs; set --replication-factor",
                    topic,
                    replication.get(),
                    RECOMMENDED_REPLICAS);
        }
    }

    /** Warns about an existing topic that a multi-broker cluster could protect better. */
    void warnExisting(String topic, int replication, Config config) {
        if (brokers <= 1) {
            return;
        }
        ConfigEntry minIsr = config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
        int minInsync = minIsr == null ? 1 : Integer.parseInt(minIsr.value());
        if (replication < RECOMMENDED_REPLICAS || minInsync < RECOMMENDED_MIN_ISR) {
            LOG.warn(
                    "topic {} has replication factor {} and min.insync.replicas={} on a cluster of {} brokers"
                            + " (recommended: {} and {}): a committed run may live on a single broker",
                    topic,
                    replication,
                    minInsync,
                    brokers,
                    RECOMMENDED_REPLICAS,
                    RECOMMENDED_MIN_ISR);
        }
    }

    private static Optional<Short> defaultReplication(Admin admin, Collection<Node> nodes, Deadline deadline) {
        if (nodes.isEmpty()) {
            return Optional.empty();
        }
        ConfigResource broker = new ConfigResource(
                ConfigResource.Type.BROKER,
                Integer.toString(nodes.iterator().next().id()));
        try {
            Map<ConfigResource, Config> configs = AdminCalls.await(
                    admin.describeConfigs(List.of(broker)).all(), "describe the broker's configuration", deadline);
            ConfigEntry entry = configs.get(broker).get("default.replication.factor");
            return entry == null || entry.value() == null
                    ? Optional.empty()
                    : Optional.of(Short.parseShort(entry.value()));
        } catch (RunLogStartException | NumberFormatException e) {
            // e.g. no DescribeConfigs permission on the cluster: the broker then applies its default itself
            LOG.info(
                    "could not read the broker's default.replication.factor ({}); new topics get the broker's"
                            + " defaults",
                    e.getMessage());
            return Optional.empty();
        }
    }

    private static void logTransactionVersion(KafkaFuture<FeatureMetadata> features, Deadline deadline) {
        try {
            Map<String, FinalizedVersionRange> finalized = AdminCalls.await(
                            features, "describe the broker's features", deadline)
                    .finalizedFeatures();
            FinalizedVersionRange range = finalized.get(TRANSACTION_VERSION);
            short version = range == null ? 0 : range.maxVersionLevel();
            LOG.info(
                    "broker transaction protocol: {}={} ({})",
                    TRANSACTION_VERSION,
                    version,
                    version >= 2 ? "transactions v2, KIP-890" : "transactions v1");
        } catch (RunLogStartException e) {
            LOG.info("could not read the broker's transaction protocol version: {}", e.getMessage());
        }
    }
}
