package dev.lsr.kafka.junit;

import org.apache.kafka.clients.admin.Admin;

/**
 * A real Kafka broker shared by all tests of one test JVM, handed to tests by
 * {@link KafkaBrokerExtension}. Tests isolate themselves by unique topic names and unique
 * transactional and group ids, never by restarting the broker.
 */
public interface KafkaBroker {

    /** The {@code bootstrap.servers} value for clients. */
    String bootstrapServers();

    /** Which backend runs this broker. */
    Backend backend();

    /**
     * A topic name no other call in this JVM returns: {@code prefix} (reduced to the characters
     * Kafka allows) plus a unique suffix. The topic is not created.
     */
    String uniqueTopic(String prefix);

    /** A unique id for a transactional id, group id or client id, built like {@link #uniqueTopic}. */
    String uniqueId(String prefix);

    /** Creates {@code topic} with {@code partitions} partitions and replication factor 1, and waits. */
    void createTopic(String topic, int partitions);

    /** An {@link Admin} client for this broker, shared and closed by the harness: do not close it. */
    Admin admin();
}
