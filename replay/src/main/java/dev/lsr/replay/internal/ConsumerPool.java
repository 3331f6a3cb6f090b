package dev.lsr.replay.internal;

import dev.lsr.kernel.LogReaders;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Kafka consumers for catch-up reads, reused across requests (opening one costs a metadata round
 * trip) and bounded, so a thousand clients share a few dozen connections to the broker. Each is
 * read_committed, without a group; a borrower assigns and seeks it itself.
 */
final class ConsumerPool implements AutoCloseable {

    private final Map<String, Object> properties;
    private final Semaphore permits;
    private final LinkedBlockingQueue<Consumer<byte[], byte[]>> idle = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    ConsumerPool(Map<String, Object> clientProperties, int size) {
        this.properties = Map.copyOf(LogReaders.properties(clientProperties));
        this.permits = new Semaphore(size, true);
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

    /**
     * Returns a consumer; a broken one (the borrower saw it fail) is closed instead, and so is one given back after
     * the pool closed (by a request that ended after the server's close).
     */
    void giveBack(Consumer<byte[], byte[]> consumer, boolean broken) {
        if (broken || closed) {
            consumer.close();
        } else {
            consumer.unsubscribe();
            idle.add(consumer);
            if (closed && idle.remove(consumer)) {
                consumer.close(); // the pool closed meanwhile
            }
        }
        permits.release();
    }

    @Override
    public void close() {
        closed = true;
        Consumer<byte[], byte[]> consumer;
        while ((consumer = idle.poll()) != null) {
            consumer.close();
        }
    }
}
