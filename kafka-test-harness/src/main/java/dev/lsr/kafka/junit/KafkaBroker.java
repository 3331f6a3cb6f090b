package dev.lsr.kafka.junit;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;

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

    /**
     * Deletes the records of one partition below {@code offset}, as a finite {@code retention.ms} or an
     * operator's {@code deleteRecords} would (the partition's start moves there), and waits.
     */
    default void deleteRecordsBefore(String topic, int partition, long offset)
            throws ExecutionException, InterruptedException {
        admin().deleteRecords(Map.of(new TopicPartition(topic, partition), RecordsToDelete.beforeOffset(offset)))
                .all()
                .get();
    }
}
