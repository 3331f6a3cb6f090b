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
}
