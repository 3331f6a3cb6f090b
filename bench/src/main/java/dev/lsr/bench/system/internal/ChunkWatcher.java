package dev.lsr.bench.system.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkLogFormat;
import dev.lsr.chunklog.EnvelopeHeaders;
import dev.lsr.chunklog.RecordType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A read_committed consumer on its own thread that sees every chunk record of a topic as soon as it is
 * visible and tells a {@link Sink} the run, the record's {@code ce_time} (receipt by the recorder) and
 * the moment it became visible here, both in microseconds of the wall clock.
 */
final class ChunkWatcher implements AutoCloseable {

    /** Told of each visible chunk record, on the watcher's thread. */
    interface Sink {
        void chunk(String runId, long receivedMicros, long visibleMicros);
    }

    private static final String CHUNK_TYPE = RecordType.CHUNK.cloudEventType();

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Sink sink;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile RuntimeException failure;

    private ChunkWatcher(KafkaConsumer<byte[], byte[]> consumer, Sink sink) {
        this.consumer = consumer;
        this.sink = sink;
        this.thread = Thread.ofPlatform().name("bench-chunk-watcher").daemon().unstarted(this::loop);
    }

    /** Starts watching {@code topic}, from its beginning or from its current end. */
    static ChunkWatcher start(BenchKafka kafka, String topic, boolean fromBeginning, Sink sink) {
        KafkaConsumer<byte[], byte[]> consumer = kafka.readCommittedConsumer();
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        partitions.forEach(tp -> consumer.position(tp, Duration.ofSeconds(30)));
        ChunkWatcher watcher = new ChunkWatcher(consumer, sink);
        watcher.thread.start();
        return watcher;
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private void loop() {
        try {
            while (!stopped) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    long visible = nowMicros();
                    if (CHUNK_TYPE.equals(EnvelopeHeaders.get(record.headers(), ChunkLogFormat.Headers.TYPE))) {
                        String time = EnvelopeHeaders.get(record.headers(), ChunkLogFormat.Headers.TIME);
                        sink.chunk(new String(record.key(), UTF_8), micros(Instant.parse(time)), visible);
                    }
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close();
        }
    }

    /** Throws when the watcher stopped on an error (so a trial does not wait for records that never come). */
    void requireHealthy() {
        if (failure != null) {
            throw new IllegalStateException("the chunk watcher failed: " + failure.getMessage(), failure);
        }
    }

    @Override
    public void close() {
        stopped = true;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new IllegalStateException("the chunk watcher failed: " + failure.getMessage(), failure);
        }
    }
}
