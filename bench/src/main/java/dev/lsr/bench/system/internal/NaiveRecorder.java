package dev.lsr.bench.system.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkLogFormat;
import dev.lsr.chunklog.RecordType;
import dev.lsr.recorder.internal.sse.SseFrame;
import dev.lsr.recorder.internal.sse.SseFrameReader;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The "naive recorder" of issue 14, the baseline a user would write in an afternoon instead of ours:
 * every run's stream read with OkHttp (one virtual thread per run, as the recorder does, and the
 * recorder's own SSE frame reader, so both sides pay the same parsing) and each frame sent as is to
 * one idempotent producer ({@code acks=all}, Kafka's defaults otherwise: no compression, no
 * transactions, no checkpoints, no positions, no dedupe). At-least-once: a retry after a crash would
 * send a run again. Each record carries only what the bench needs to count and time it: {@code ce_type}
 * chunk and {@code ce_time} stamped when its frame was read (as the recorder stamps its receipt).
 */
final class NaiveRecorder implements AutoCloseable {

    private static final MediaType JSON = MediaType.get("application/json");
    private static final byte[] CHUNK_TYPE = RecordType.CHUNK.cloudEventType().getBytes(UTF_8);

    private final OkHttpClient client =
            new OkHttpClient.Builder().readTimeout(Duration.ZERO).build();
    private final KafkaProducer<byte[], byte[]> producer;
    private final String lettaBaseUrl;
    private final String topic;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Call> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean closing;

    private NaiveRecorder(String bootstrapServers, String lettaBaseUrl, String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(props);
        this.lettaBaseUrl = lettaBaseUrl;
        this.topic = topic;
        producer.partitionsFor(topic);
    }

    /** A producer ready on {@code topic} (metadata fetched), no stream opened yet. */
    static NaiveRecorder create(String bootstrapServers, String lettaBaseUrl, String topic) {
        return new NaiveRecorder(bootstrapServers, lettaBaseUrl, topic);
    }

    /** Opens every run's stream from its start, each on a virtual thread of its own. */
    NaiveRecorder attach(List<String> runIds) {
        for (String runId : runIds) {
            threads.add(Thread.ofVirtual().name("naive-" + runId).start(() -> record(runId)));
        }
        return this;
    }

    private void record(String runId) {
        Request request = new Request.Builder()
                .url(lettaBaseUrl + "/v1/runs/" + runId + "/stream")
                .header("Accept", "text/event-stream")
                .post(RequestBody.create("{\"starting_after\":0,\"include_pings\":false}", JSON))
                .build();
        Call call = client.newCall(request);
        calls.add(call);
        byte[] key = runId.getBytes(UTF_8);
        try (Response response = call.execute()) {
            if (!response.isSuccessful()) {
                throw new IOException("stream of " + runId + ": HTTP " + response.code());
            }
            SseFrameReader reader = new SseFrameReader(response.body().source());
            SseFrame frame;
            while ((frame = reader.next()) != null && !frame.isDone()) {
                producer.send(new ProducerRecord<>(topic, null, key, frame.data(), headers()), (metadata, e) -> {
                    if (e == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        failure.compareAndSet(null, e);
                    }
                });
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                failure.compareAndSet(null, e);
            }
        }
    }

    /** Waits until every stream has ended and every record sent is acknowledged. */
    void awaitDone(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            try {
                if (!thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                    throw new IllegalStateException("the naive recorder did not finish its runs within " + timeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        producer.flush();
        requireHealthy();
    }

    /** Records sent and acknowledged by the broker so far. */
    long acknowledged() {
        return acknowledged.get();
    }

    /** Throws when a stream or a send failed. */
    void requireHealthy() {
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("the naive recorder failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Cancels the streams still open, then flushes and closes the producer (everything sent is acknowledged). */
    void stop() {
        if (closing) {
            return;
        }
        closing = true;
        calls.forEach(Call::cancel);
        for (Thread thread : threads) {
            try {
                thread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.flush();
        producer.close();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    /** The two headers the naive recorder writes on a chunk: its type and when it was received. */
    static RecordHeaders headers() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(ChunkLogFormat.Headers.TYPE, CHUNK_TYPE);
        headers.add(ChunkLogFormat.Headers.TIME, Instant.now().toString().getBytes(UTF_8));
        return headers;
    }
}
