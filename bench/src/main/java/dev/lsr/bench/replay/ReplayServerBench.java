package dev.lsr.bench.replay;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.kafka.EmbeddedKafkaBroker;
import dev.lsr.replay.ReplayServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The replay server's benchmark (docs/benchmarks.md, "Replay server"): many clients resuming different
 * recorded runs at once, against a raw Kafka consumer reading the same records with the same number of
 * consumers, as a ratio measured in one run; then commit-to-client latency of live runs.
 *
 * <pre>java -cp bench/target/bench-all.jar dev.lsr.bench.replay.ReplayServerBench [--runs 2625] [--clients 1000]</pre>
 * 2,625 runs of fixture 05 (381 chunks each) are 1,000,125 chunks.
 */
public final class ReplayServerBench {

    private static final String TOPIC = "letta.chunks";
    private static final int PARTITIONS = 6;
    private static final int READERS = 32;
    private static final long STARTING_AFTER = 150;

    private ReplayServerBench() {}

    public static void main(String[] args) throws Exception {
        int runs = intArg(args, "--runs", 2625);
        int clients = Math.min(runs, intArg(args, "--clients", 1000));
        int liveRuns = intArg(args, "--live-runs", 20);
        int liveRate = intArg(args, "--live-rate", 500);
        ReplayLog log = new ReplayLog();
        Path dir = Files.createTempDirectory("replay-bench");
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().dataDir(dir).port(0).start()) {
            Map<String, Object> client = Map.of("bootstrap.servers", broker.bootstrapServers());
            try (Admin admin = Admin.create(client)) {
                admin.createTopics(Set.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)))
                        .all()
                        .get();
            }
            long t0 = System.nanoTime();
            write(client, log, runs);
            System.out.printf(
                    Locale.ROOT,
                    "log: %d runs, %,d chunks written in %.1f s%n",
                    runs,
                    (long) runs * log.chunksPerRun(),
                    seconds(t0));

            Map<String, long[]> offsets = scan(client);
            t0 = System.nanoTime();
            try (ReplayServer server = ReplayServer.builder()
                    .clientProperties(client)
                    .topic(TOPIC)
                    .port(0)
                    .readers(READERS)
                    .maxStreams(Math.max(clients, ReplayServer.DEFAULT_MAX_STREAMS)) // every client served at once
                    .start()) {
                server.awaitIndexed(Duration.ofMinutes(10));
                System.out.printf(Locale.ROOT, "index: %d runs indexed in %.1f s%n", server.indexedRuns(), seconds(t0));
                List<String> chosen = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    chosen.add(ReplayLog.runId((int) ((long) i * runs / clients)));
                }
                Result raw = null;
                Result replay = null;
                for (int pair = 1; pair <= 2; pair++) {
                    raw = rawConsumers(client, chosen, offsets);
                    replay = replayClients(server.baseUrl(), chosen);
                    System.out.printf(
                            Locale.ROOT,
                            "pair %d: raw %s | replay %s | MB/s ratio %.2f%n",
                            pair,
                            raw,
                            replay,
                            replay.mbPerSecond() / raw.mbPerSecond());
                }
                Histogram latency = live(client, server.baseUrl(), log, runs, liveRuns, liveRate);
                System.out.printf(
                        Locale.ROOT,
                        "live: %d runs, %,d frames, commit->client p50 %.1f ms p99 %.1f ms max %.1f ms%n",
                        liveRuns,
                        latency.getTotalCount(),
                        latency.getValueAtPercentile(50) / 1e3,
                        latency.getValueAtPercentile(99) / 1e3,
                        latency.getMaxValue() / 1e3);
            }
        }
    }

    /** What one side of a pair measured: time to first byte (or record) and throughput. */
    record Result(Histogram ttfb, long bytes, double seconds, long chunks) {
        double mbPerSecond() {
            return bytes / 1e6 / seconds;
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "TTFB p50 %.1f ms p99 %.1f ms, %,d chunks, %.1f MB in %.1f s = %.1f MB/s",
                    ttfb.getValueAtPercentile(50) / 1e3,
                    ttfb.getValueAtPercentile(99) / 1e3,
                    chunks,
                    bytes / 1e6,
                    seconds,
                    mbPerSecond());
        }
    }

    private static void write(Map<String, Object> client, ReplayLog log, int runs) {
        Map<String, Object> props = new HashMap<>(client);
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        props.put("transactional.id", "replay-bench-writer");
        props.put("linger.ms", 20);
        props.put("batch.size", 512 * 1024);
        props.put("compression.type", "lz4");
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            int group = 8; // runs recorded at the same time interleave in their partitions
            for (int first = 0; first < runs; first += group) {
                List<List<ChunkLogRecord>> batch = new ArrayList<>();
                for (int i = first; i < Math.min(runs, first + group); i++) {
                    batch.add(log.records(i));
                }
                producer.beginTransaction();
                for (int k = 0; k < batch.getFirst().size(); k++) {
                    for (List<ChunkLogRecord> run : batch) {
                        if (k < run.size()) {
                            producer.send(run.get(k).toProducerRecord(TOPIC, null));
                        }
                    }
                }
                producer.commitTransaction();
            }
        }
    }

    /** First and last offset of every run (the raw side's index; not timed). */
    private static Map<String, long[]> scan(Map<String, Object> client) {
        Map<String, long[]> offsets = new HashMap<>();
        try (Consumer<byte[], byte[]> consumer = consumer(client)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(TOPIC, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String run = new String(record.key(), UTF_8);
                    long[] range = offsets.computeIfAbsent(
                            run, r -> new long[] {record.partition(), record.offset(), record.offset()});
                    range[2] = record.offset();
                }
            }
        }
        return offsets;
    }

    private static Result rawConsumers(Map<String, Object> client, List<String> runs, Map<String, long[]> offsets)
            throws Exception {
        LinkedBlockingQueue<Consumer<byte[], byte[]>> pool = new LinkedBlockingQueue<>();
        for (int i = 0; i < READERS; i++) {
            pool.add(consumer(client));
        }
        Recorder ttfb = new Recorder(3);
        AtomicLong bytes = new AtomicLong();
        AtomicLong chunks = new AtomicLong();
        long start = System.nanoTime();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (String run : runs) {
                done.add(executor.submit(() -> {
                    long begin = System.nanoTime();
                    long[] range = offsets.get(run);
                    byte[] key = run.getBytes(UTF_8);
                    Consumer<byte[], byte[]> consumer = pool.take();
                    try {
                        TopicPartition tp = new TopicPartition(TOPIC, (int) range[0]);
                        consumer.assign(List.of(tp));
                        consumer.seek(tp, range[1]);
                        boolean first = true;
                        while (consumer.position(tp) <= range[2]) {
                            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                                if (record.offset() > range[2] || !Arrays.equals(record.key(), key)) {
                                    continue;
                                }
                                ChunkLogRecord decoded = ChunkLogRecord.fromConsumerRecord(record);
                                if (decoded.envelope().isChunk()
                                        && decoded.position().seq()
                                                        + decoded.position().sub()
                                                > STARTING_AFTER) {
                                    if (first) {
                                        ttfb.recordValue((System.nanoTime() - begin) / 1000);
                                        first = false;
                                    }
                                    bytes.addAndGet(record.value().length);
                                    chunks.incrementAndGet();
                                }
                            }
                        }
                    } finally {
                        pool.add(consumer);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        double took = seconds(start);
        pool.forEach(Consumer::close);
        return new Result(ttfb.getIntervalHistogram(), bytes.get(), took, chunks.get());
    }

    /**
     * The clients: plain blocking sockets on virtual threads (HTTP/1.1 by hand), so the client side costs
     * what a raw consumer's loop costs and the JDK client's single selector thread is not what is measured.
     * TTFB is the first byte after the response headers; bytes are the body as sent (chunked framing
     * included, a few bytes per flush).
     */
    private static Result replayClients(URI base, List<String> runs) throws Exception {
        Recorder ttfb = new Recorder(3);
        AtomicLong bytes = new AtomicLong();
        AtomicLong frames = new AtomicLong();
        long start = System.nanoTime();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (String run : runs) {
                done.add(executor.submit(() -> {
                    long begin = System.nanoTime();
                    byte[] body = ("{\"starting_after\":" + STARTING_AFTER + "}").getBytes(UTF_8);
                    String head = "POST /v1/runs/" + run + "/stream HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
                            + "Content-Type: application/json\r\nContent-Length: " + body.length
                            + "\r\nConnection: close\r\n\r\n";
                    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
                        OutputStream out = socket.getOutputStream();
                        out.write(head.getBytes(UTF_8));
                        out.write(body);
                        out.flush();
                        InputStream in = socket.getInputStream();
                        byte[] buffer = new byte[64 * 1024];
                        int headerState = 0; // counts \r\n\r\n
                        boolean first = true;
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            int from = 0;
                            while (headerState < 4 && from < n) {
                                byte b = buffer[from++];
                                headerState = (b == '\r' && headerState % 2 == 0) || (b == '\n' && headerState % 2 == 1)
                                        ? headerState + 1
                                        : (b == '\r' ? 1 : 0);
                            }
                            if (headerState == 4 && from < n) {
                                if (first) {
                                    ttfb.recordValue((System.nanoTime() - begin) / 1000);
                                    first = false;
                                }
                                bytes.addAndGet(n - from);
                                for (int i = from; i + 1 < n; i++) {
                                    if (buffer[i] == '\n' && buffer[i + 1] == '\n') {
                                        frames.incrementAndGet();
                                    }
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        return new Result(ttfb.getIntervalHistogram(), bytes.get(), seconds(start), frames.get());
    }

    /**
     * Live runs appended one chunk per transaction at {@code rate} chunks/s in total while a client tails
     * each: latency from the commit call to the frame's arrival at the client.
     */
    private static Histogram live(
            Map<String, Object> client, URI base, ReplayLog log, int offset, int liveRuns, int rate) throws Exception {
        Map<String, Long> committedAt = new ConcurrentHashMap<>();
        Recorder latency = new Recorder(3);
        List<List<ChunkLogRecord>> runs = new ArrayList<>();
        for (int i = 0; i < liveRuns; i++) {
            runs.add(log.records(offset + i));
        }
        Map<String, Object> props = new HashMap<>(client);
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        props.put("transactional.id", "replay-bench-live");
        props.put("linger.ms", 0);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
                HttpClient http = HttpClient.newBuilder().executor(executor).build();
                Producer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            // each run's attached record first, so the index knows the runs before their clients ask
            producer.beginTransaction();
            runs.forEach(r -> producer.send(r.getFirst().toProducerRecord(TOPIC, null)));
            producer.commitTransaction();
            Thread.sleep(500);
            List<Future<?>> readers = new ArrayList<>();
            for (List<ChunkLogRecord> run : runs) {
                String runId = run.getFirst().runId();
                readers.add(executor.submit(() -> {
                    HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/runs/" + runId + "/stream"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"include_pings\":false}"))
                            .build();
                    HttpResponse<java.util.stream.Stream<String>> response =
                            http.send(request, HttpResponse.BodyHandlers.ofLines());
                    response.body().forEach(line -> {
                        long now = System.nanoTime();
                        int at = line.indexOf("\"seq_id\":");
                        if (line.startsWith("data: {") && at > 0) {
                            int end = at + 9;
                            while (end < line.length() && Character.isDigit(line.charAt(end))) {
                                end++;
                            }
                            Long sent = committedAt.get(runId + "/" + line.substring(at + 9, end));
                            if (sent != null) {
                                latency.recordValue(Math.max(0, now - sent) / 1000);
                            }
                        }
                    });
                    return null;
                }));
            }
            Thread.sleep(1000);
            long intervalNanos = 1_000_000_000L / rate;
            long next = System.nanoTime();
            int length = runs.getFirst().size();
            for (int k = 1; k < length; k++) {
                for (List<ChunkLogRecord> run : runs) {
                    ChunkLogRecord record = run.get(k);
                    producer.beginTransaction();
                    producer.send(record.toProducerRecord(TOPIC, null));
                    if (record.envelope().isChunk() && record.position().sub() == 0) {
                        committedAt.put(record.runId() + "/" + record.position().seq(), System.nanoTime());
                    }
                    producer.commitTransaction();
                    next += intervalNanos;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(Duration.ofNanos(wait));
                    }
                }
            }
            for (Future<?> f : readers) {
                f.get();
            }
        }
        return latency.getIntervalHistogram();
    }

    private static Consumer<byte[], byte[]> consumer(Map<String, Object> client) {
        Map<String, Object> props = new HashMap<>(client);
        props.put("key.deserializer", ByteArrayDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        props.put("isolation.level", "read_committed");
        props.put("enable.auto.commit", "false");
        return new KafkaConsumer<>(props);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
