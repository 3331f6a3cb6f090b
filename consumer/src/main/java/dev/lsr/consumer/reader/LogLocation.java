package dev.lsr.consumer.reader;

import java.util.Objects;

/**
 * Where a record was read: a Kafka topic partition and offset, or a chunk file and line number
 * (then {@code partition} is {@link #NO_PARTITION} and {@code offset} is the 1-based line).
 *
 * @param source    the topic name or the file path
 * @param partition the partition, or {@link #NO_PARTITION} for a file
 * @param offset    the offset, or the line number in a file
 */
public record LogLocation(String source, int partition, long offset) {

    public static final int NO_PARTITION = -1;

    public LogLocation {
        Objects.requireNonNull(source, "source");
    }

    public static LogLocation kafka(String topic, int partition, long offset) {
        return new LogLocation(topic, partition, offset);
    }

    public static LogLocation fileLine(String file, long line) {
        return new LogLocation(file, NO_PARTITION, line);
    }

    public boolean isFile() {
        return partition == NO_PARTITION;
    }

    /** {@code letta.chunks-0@17} for Kafka, {@code run.jsonl:17} for a file. */
    @Override
    public String toString() {
        return isFile() ? source + ":" + offset : source + "-" + partition + "@" + offset;
    }
}
