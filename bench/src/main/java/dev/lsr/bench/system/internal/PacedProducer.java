package dev.lsr.bench.system.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkLogFormat;
import dev.lsr.chunklog.RecordType;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The latency baseline: a plain idempotent producer sending chunk-sized records at a fixed rate, each
 * stamped with its send time in {@code ce_time} so the same {@link LatencyProbe} times it.
 */
final class PacedProducer {

    private static final byte[] PAYLOAD = ("{\"message_type\":\"assistant_message\",\"content\":\"a typical delta of a"
                    + " token-streamed reply\",\"seq_id\":1}")
            .repeat(4)
            .getBytes(UTF_8);
    private static final byte[] CHUNK_TYPE = RecordType.CHUNK.cloudEventType().getBytes(UTF_8);

    private PacedProducer() {}

    /**
     * Sends {@code rate} records/s over {@code keys} keys for warm-up + measurement + 1 s, opening the
     * probe's window after the warm-up; returns how many it sent (all flushed).
     */
    static long run(
            BenchKafka kafka,
            String topic,
            int rate,
            int keys,
            long warmupMillis,
            long measureMillis,
            LatencyProbe probe) {
        try (KafkaProducer<byte[], byte[]> producer = kafka.idempotentProducer(Map.of())) {
            producer.partitionsFor(topic);
            long start = System.nanoTime();
            long total = rate * (warmupMillis + measureMillis + 1_000) / 1000;
            boolean opened = false;
            for (long i = 0; i < total; i++) {
                long wait = start + i * 1_000_000_000L / rate - System.nanoTime();
                if (wait > 1_000_000) {
                    SimLoad.sleep(wait / 1_000_000);
                }
                if (!opened && System.nanoTime() - start >= warmupMillis * 1_000_000) {
                    probe.openWindow(measureMillis);
                    opened = true;
                }
                RecordHeaders headers = new RecordHeaders();
                headers.add(ChunkLogFormat.Headers.TYPE, CHUNK_TYPE);
                headers.add(
                        ChunkLogFormat.Headers.TIME, Instant.now().toString().getBytes(UTF_8));
                producer.send(
                        new ProducerRecord<>(topic, null, ("run-" + (i % keys)).getBytes(UTF_8), PAYLOAD, headers));
            }
            producer.flush();
            for (int i = 0; i < 400 && probe.seen() < total; i++) {
                SimLoad.sleep(50);
            }
            return total;
        }
    }
}
