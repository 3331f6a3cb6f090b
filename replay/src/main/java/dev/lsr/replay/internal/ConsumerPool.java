package dev.lsr.replay.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Kafka consumers for catch-up reads, reused across requests (opening one costs a metadata round
 * trip) and bounded, so a thousand clients share a few dozen connections to the broker. Each is
 * read_committed, without a group; a borrower assigns and seeks it itself.
 */
final class ConsumerPool implements AutoCloseable {

    private final Map<String, Object> properties;
    private final Semaphore permits;
    private final LinkedBlockingQueue<Consumer<byte[], byte[]>> idle = new LinkedBlockingQueue<>();

    ConsumerPool(Map<String, Object> clientProperties, int size) {
        this.properties = readCommitted(clientProperties);
        this.permits = new Semaphore(size, true);
    }

    /**
     * The client properties of every reader of the server: bytes, read_committed, no group, no commits,
     * and no reset of a position the log no longer holds ({@code auto.offset.reset=none}: the read fails
     * with {@code OffsetOutOfRangeException} and its reader decides, where Kafka's default would jump to
     * the end and skip every record still there).
     */
    static Map<String, Object> readCommitted(Map<String, Object> clientProperties) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put("key.deserializer", ByteArrayDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        props.put("isolation.level", "read_committed");
        props.put("enable.auto.commit", "false");
        props.put("allow.auto.create.topics", "false");
        props.put("auto.offset.reset", "none");
        props.remove("group.id");
        return Map.copyOf(props);
    }

    Consumer<byte[], byte[]> borrow() throws InterruptedException {
        permits.acquire();
        Consumer<byte[], byte[]> consumer = idle.poll();
        if (consumer != null) {
            return consumer;
        }
        try {
            return new KafkaConsumer<>(properties);
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Returns a consumer; a broken one (the borrower saw it fail) is closed instead. */
    void giveBack(Consumer<byte[], byte[]> consumer, boolean broken) {
        if (broken) {
            consumer.close();
        } else {
            consumer.unsubscribe();
            idle.add(consumer);
        }
        permits.release();
    }

    @Override
    public void close() {
        Consumer<byte[], byte[]> consumer;
        while ((consumer = idle.poll()) != null) {
            consumer.close();
        }
    }
}
