package dev.lsr.recorder.log;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkLogFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;

/**
 * A producer interceptor that holds one send (the record with the armed {@code ce_id}) until released,
 * leaving the committer inside an open transaction whose earlier records already reached the broker.
 * Installed through {@code producer.interceptor.classes}; armed per test with unique ids.
 */
public final class HoldingInterceptor implements ProducerInterceptor<byte[], byte[]> {

    private static volatile String heldId;
    private static volatile String ackedTopic;
    private static volatile CountDownLatch holding = new CountDownLatch(1);
    private static volatile CountDownLatch acked = new CountDownLatch(1);
    private static volatile CountDownLatch release = new CountDownLatch(1);

    static void arm(String recordId, String topic) {
        holding = new CountDownLatch(1);
        acked = new CountDownLatch(1);
        release = new CountDownLatch(1);
        ackedTopic = topic;
        heldId = recordId;
    }

    /** Waits until the held send is held and an earlier record of the transaction was acknowledged. */
    static void awaitHeldAfterAnAck() throws InterruptedException {
        if (!holding.await(60, TimeUnit.SECONDS) || !acked.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the transaction was not held open");
        }
    }

    /** Waits until the armed send is held (the committer is stuck inside its transaction). */
    static void awaitHeld() throws InterruptedException {
        if (!holding.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the armed send was not held");
        }
    }

    static void release() {
        heldId = null;
        release.countDown();
    }

    @Override
    public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
        Header id = record.headers().lastHeader(ChunkLogFormat.Headers.ID);
        if (id != null && new String(id.value(), UTF_8).equals(heldId)) {
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
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
