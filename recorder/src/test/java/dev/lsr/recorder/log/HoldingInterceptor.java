package dev.lsr.recorder.log;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkLogFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;

/**
 * A producer interceptor that holds one send (the record with the armed {@code ce_id}) until released,
 * leaving the committer inside an open transaction whose earlier records already reached the broker.
 * Or ({@link #armAcknowledgement}) it holds the producer's network thread in the first acknowledgement
 * from a topic, so the transaction's records are written but its commit cannot go out.
 * Installed through {@code producer.interceptor.classes}; armed per test with unique ids.
 */
public final class HoldingInterceptor implements ProducerInterceptor<byte[], byte[]> {

    private static volatile Predicate<String> held = id -> false;
    private static volatile String ackedTopic;
    private static volatile String heldAckTopic;
    private static volatile CountDownLatch holding = new CountDownLatch(1);
    private static volatile CountDownLatch acked = new CountDownLatch(1);
    private static volatile CountDownLatch release = new CountDownLatch(1);

    static void arm(String recordId, String topic) {
        armMatching(recordId::equals, topic);
    }

    /** Holds the first send whose {@code ce_id} matches (for a record whose run id is not known yet). */
    static void armMatching(Predicate<String> recordId, String topic) {
        holding = new CountDownLatch(1);
        acked = new CountDownLatch(1);
        release = new CountDownLatch(1);
        ackedTopic = topic;
        held = recordId;
    }

    /** Holds the network thread in the next acknowledgement of a record of {@code topic}, until released. */
    static void armAcknowledgement(String topic) {
        holding = new CountDownLatch(1);
        release = new CountDownLatch(1);
        heldAckTopic = topic;
    }

    /** Waits until the armed send or acknowledgement is held (the committer is stuck inside its transaction). */
    static void awaitHeld() throws InterruptedException {
        if (!holding.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError("nothing armed was held");
        }
    }

    /** Waits until the held send is held and an earlier record of the transaction was acknowledged. */
    static void awaitHeldAfterAnAck() throws InterruptedException {
        if (!holding.await(60, TimeUnit.SECONDS) || !acked.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the transaction was not held open");
        }
    }

    static void release() {
        held = id -> false;
        heldAckTopic = null;
        release.countDown();
    }

    @Override
    public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
        Header id = record.headers().lastHeader(ChunkLogFormat.Headers.ID);
        if (id != null && held.test(new String(id.value(), UTF_8))) {
            holding.countDown();
            try {
                // Longer than any wait of a test that holds it: a test releases it in its finally.
                release.await(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        if (exception == null && metadata != null && metadata.topic().equals(ackedTopic)) {
            acked.countDown();
        }
        if (metadata != null && metadata.topic().equals(heldAckTopic)) {
            heldAckTopic = null;
            holding.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs) {}
}
