package dev.lsr.kernel;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The Kafka client properties of every reader of the log that is not a group member. */
public final class LogReaders {

    private LogReaders() {}

    /**
     * {@code clientProperties} (bootstrap servers, security...) with the reader's own: byte deserializers,
     * {@code read_committed}, no group, no auto commit, no topic created by reading, and no reset of a
     * position the log no longer holds ({@code auto.offset.reset=none}: the read fails with
     * {@code OffsetOutOfRangeException} and the reader goes on by {@link MissingOffsets}, where Kafka's
     * default would jump to the end and skip every record still there). A new map, the caller's to extend.
     */
    public static Map<String, Object> properties(Map<String, Object> clientProperties) {
        Map<String, Object> properties = new HashMap<>(clientProperties);
        properties.put("key.deserializer", ByteArrayDeserializer.class.getName());
        properties.put("value.deserializer", ByteArrayDeserializer.class.getName());
        properties.put("isolation.level", "read_committed");
        properties.put("enable.auto.commit", "false");
        properties.put("allow.auto.create.topics", "false");
        properties.put("auto.offset.reset", "none");
        properties.remove("group.id");
        return properties;
    }

    /**
     * How long the broker may hold a fetch that finds no record, for a reader that reads to end offsets it took
     * before ({@link #boundedProperties}): it never waits for records to come. Kafka's default, 500 ms, cost it that
     * much at its next request: a fetch it sent ahead at a partition's end stays parked on the broker, and the broker
     * answers a connection's requests one at a time, so the offset lookup that starts the next read (the next
     * partition's restore, the checkpoints after the layout record) waited behind it.
     */
    public static final int BOUNDED_READ_FETCH_WAIT_MS = 10;

    /**
     * {@link #properties} for a reader that reads partitions to end offsets it took before, one after another: with
     * {@code fetch.max.wait.ms} = {@link #BOUNDED_READ_FETCH_WAIT_MS}. Not for a reader that follows the log (it would
     * ask the broker every 10 ms while nothing comes).
     */
    public static Map<String, Object> boundedProperties(Map<String, Object> clientProperties) {
        Map<String, Object> properties = properties(clientProperties);
        properties.put("fetch.max.wait.ms", BOUNDED_READ_FETCH_WAIT_MS);
        return properties;
    }
}
