package dev.lsr.bench.system.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.bench.system.Spread;
import dev.lsr.bench.system.internal.FixtureTemplates.TemplateChunk;
import dev.lsr.bench.system.internal.FixtureTemplates.TemplateRun;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.TopicConventions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the two changes proposed for issue 14's remaining targets could buy at most, measured without HTTP
 * or the recorder: the same chunks committed in transactions of four shapes on the bench's broker, each
 * with one checkpoint record per run per transaction, as the recorder writes them:
 *
 * <ul>
 *   <li>one transactional producer per partition (the recorder today) or one producer whose every transaction
 *       spans all six partitions (the "one transaction per recorder" proposal);
 *   <li>each record with the format's CloudEvents headers (today) or with none (the floor of a smaller
 *       record format).
 * </ul>
 *
 * Each shape at full load with large transactions (the ingest scenario's ~650 records per partition) and
 * with small ones (7 per partition: what a transaction holds at the latency scenario's 2,000 chunks/s with the
 * default 10 ms window), alternated round by round in one JVM after a warm-up round. The runs arrive
 * {@value #CONCURRENT_RUNS} at a time, as in the ingest scenario, so a large transaction carries ~33 checkpoints.
 * Every record (headers included) is built before the trials: the CPU is the Kafka side's only, producers'
 * creation and close included. Reports chunks/s and the whole JVM's CPU per 1,000 chunks (client and
 * broker), and each shape's CPU per round against today's shape of the same size in the same round. Run:
 * {@code java -cp bench-all.jar dev.lsr.bench.system.internal.TransactionShapes [ROUNDS [RUNS]]} (RUNS copies of
 * the six fixture runs in turn, 1,800 by default: 172,200 chunks per trial).
 */
public final class TransactionShapes {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionShapes.class);
    private static final String SOURCE = "http://127.0.0.1:8283";
    private static final int DEFAULT_RUNS = 1_800;
    private static final int LARGE = 650;
    private static final int SMALL = 7;
    private static final int CONCURRENT_RUNS = 200;

    /** A record to send: the chunk's with the format's headers, its value, the naive recorder's two headers. */
    private record Chunk(
            String runId,
            int partition,
            ProducerRecord<byte[], byte[]> withHeaders,
            byte[] value,
            RecordHeaders naiveHeaders) {}

    /** How the chunks are committed. */
    private enum Commit {
        /** One transactional producer per partition: the recorder today. */
        PER_PARTITION,
        /** One transactional producer whose every transaction spans all partitions. */
        SPANNING,
        /** The naive recorder's producer: idempotent, no transactions, no checkpoints, Kafka's defaults. */
        AT_LEAST_ONCE
    }

    private record Shape(Commit commit, boolean headers, int perPartition) {
        static final Shape NAIVE = new Shape(Commit.AT_LEAST_ONCE, false, 0);

        String label() {
            return switch (commit) {
                case AT_LEAST_ONCE ->
                    "at-least-once reference: the naive recorder's producer (idempotent, Kafka's"
                            + " defaults, no compression, 2 headers, no transactions, no checkpoints)";
                case PER_PARTITION, SPANNING ->
                    (commit == Commit.SPANNING ? "1 producer spanning 6 partitions" : "6 producers, one per partition")
                            + (headers ? ", the format's headers" : ", no headers")
                            + ", " + perPartition + " records per partition per transaction";
            };
        }
    }

    private record Trial(double chunksPerSecond, double cpuMillisPerThousand, int transactions) {}

    private TransactionShapes() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_RUNS;
        List<Shape> shapes = new ArrayList<>(List.of(Shape.NAIVE));
        for (int size : new int[] {LARGE, SMALL}) {
            for (Commit commit : new Commit[] {Commit.PER_PARTITION, Commit.SPANNING}) {
                for (boolean headers : new boolean[] {true, false}) {
                    shapes.add(new Shape(commit, headers, size));
                }
            }
        }
        Map<Shape, List<Trial>> trials = new LinkedHashMap<>();
        try (BenchKafka kafka = BenchKafka.start()) {
            List<List<Chunk>> byPartition = chunksByPartition(runs);
            int total = byPartition.stream().mapToInt(List::size).sum();
            LOG.info(
                    "{} chunks of {} runs over {} partitions, {} headers per record in the format",
                    total,
                    runs,
                    Sizes.PARTITIONS,
                    headerCount(byPartition.getFirst().getFirst().withHeaders()));
            for (Shape shape : shapes) {
                trial(kafka, shape, byPartition, total, 0); // JIT warm-up, not counted
            }
            for (int round = 0; round < rounds; round++) {
                List<Shape> order = new ArrayList<>(shapes);
                if (round % 2 == 1) {
                    Collections.reverse(order);
                }
                for (Shape shape : order) {
                    Trial trial = trial(kafka, shape, byPartition, total, round + 1);
                    trials.computeIfAbsent(shape, s -> new ArrayList<>()).add(trial);
                }
            }
        }
        System.out.println(table(shapes, trials));
    }

    private static Trial trial(BenchKafka kafka, Shape shape, List<List<Chunk>> byPartition, int total, int round)
            throws InterruptedException {
        String suffix = Long.toString(System.nanoTime(), 36);
        String topic = "shapes-" + suffix;
        String checkpoints = "shapes-cp-" + suffix;
        kafka.createTopic(topic, Sizes.PARTITIONS);
        kafka.createTopic(checkpoints, Sizes.PARTITIONS);
        try {
            CpuMeter cpu = new CpuMeter();
            long start = System.nanoTime();
            int transactions = switch (shape.commit()) {
                case PER_PARTITION -> perPartition(kafka, shape, byPartition, topic, checkpoints);
                case SPANNING -> spanning(kafka, shape, byPartition, topic, checkpoints);
                case AT_LEAST_ONCE -> atLeastOnce(kafka, byPartition, topic);
            };
            double seconds = (System.nanoTime() - start) / 1e9;
            CpuMeter.Usage usage = cpu.stop();
            long committed = CommittedChunks.count(kafka, topic, true);
            if (committed != total) {
                throw new IllegalStateException(shape.label() + ": " + committed + " committed of " + total);
            }
            Trial trial = new Trial(total / seconds, usage.cpuMillisPer(total / 1000.0), transactions);
            LOG.info(
                    "round {}: {}: {} chunks/s, {} ms CPU per 1,000 chunks, {} transactions; {}",
                    round,
                    shape.label(),
                    Math.round(trial.chunksPerSecond()),
                    Math.round(trial.cpuMillisPerThousand()),
                    transactions,
                    usage.describe());
            return trial;
        } finally {
            kafka.deleteTopics(Set.of(topic, checkpoints));
        }
    }

    /** Six producers in parallel, each committing its own partition's chunks. */
    private static int perPartition(
            BenchKafka kafka, Shape shape, List<List<Chunk>> byPartition, String topic, String checkpoints)
            throws InterruptedException {
        AtomicInteger transactions = new AtomicInteger();
        PartitionThreads.run(Sizes.PARTITIONS, partition -> {
            try (KafkaProducer<byte[], byte[]> producer = producer(kafka, topic + "-" + partition)) {
                producer.initTransactions();
                List<Chunk> mine = byPartition.get(partition);
                for (int from = 0; from < mine.size(); from += shape.perPartition()) {
                    producer.beginTransaction();
                    send(producer, shape, mine, from, topic, checkpoints);
                    producer.commitTransaction();
                    transactions.incrementAndGet();
                }
            }
        });
        return transactions.get();
    }

    /** One idempotent producer shared by six threads, as the naive recorder's run threads share one; no transactions. */
    private static int atLeastOnce(BenchKafka kafka, List<List<Chunk>> byPartition, String topic)
            throws InterruptedException {
        try (KafkaProducer<byte[], byte[]> producer = kafka.idempotentProducer(Map.of())) {
            PartitionThreads.run(Sizes.PARTITIONS, partition -> {
                for (Chunk chunk : byPartition.get(partition)) {
                    producer.send(new ProducerRecord<>(
                            topic,
                            chunk.partition(),
                            null,
                            chunk.runId().getBytes(UTF_8),
                            chunk.value(),
                            chunk.naiveHeaders()));
                }
            });
            producer.flush();
        }
        return 0;
    }

    /** One producer whose every transaction takes the next slice of every partition. */
    private static int spanning(
            BenchKafka kafka, Shape shape, List<List<Chunk>> byPartition, String topic, String checkpoints) {
        int transactions = 0;
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka, topic + "-all")) {
            producer.initTransactions();
            int longest = byPartition.stream().mapToInt(List::size).max().orElse(0);
            for (int from = 0; from < longest; from += shape.perPartition()) {
                producer.beginTransaction();
                for (List<Chunk> partition : byPartition) {
                    send(producer, shape, partition, from, topic, checkpoints);
                }
                producer.commitTransaction();
                transactions++;
            }
        }
        return transactions;
    }

    /** The slice's chunks, then one checkpoint record per run in the slice (the recorder's checkpoint fold). */
    private static void send(
            KafkaProducer<byte[], byte[]> producer,
            Shape shape,
            List<Chunk> chunks,
            int from,
            String topic,
            String checkpoints) {
        Map<String, Chunk> last = new LinkedHashMap<>();
        for (Chunk chunk :
                chunks.subList(Math.min(from, chunks.size()), Math.min(chunks.size(), from + shape.perPartition()))) {
            ProducerRecord<byte[], byte[]> record = shape.headers()
                    ? new ProducerRecord<>(
                            topic,
                            chunk.partition(),
                            null,
                            chunk.withHeaders().key(),
                            chunk.value(),
                            chunk.withHeaders().headers())
                    : new ProducerRecord<>(
                            topic, chunk.partition(), chunk.runId().getBytes(UTF_8), chunk.value());
            producer.send(record);
            last.put(chunk.runId(), chunk);
        }
        for (Chunk chunk : last.values()) {
            producer.send(new ProducerRecord<>(
                    checkpoints, chunk.partition(), chunk.runId().getBytes(UTF_8), checkpointValue(chunk)));
        }
    }

    /** About the size of the recorder's checkpoint value: the run, its position, its state. */
    private static byte[] checkpointValue(Chunk chunk) {
        return ("{\"v\":1,\"run_id\":\"" + chunk.runId()
                        + "\",\"state\":\"ACTIVE\",\"position\":{\"seq_id\":120,\"index\":0},\"chunks\":120,"
                        + "\"agent_id\":\"agent-00000000-0000-4000-8000-000000000000\",\"updated_at\":\""
                        + Instant.now() + "\"}")
                .getBytes(UTF_8);
    }

    private static KafkaProducer<byte[], byte[]> producer(BenchKafka kafka, String transactionalId) {
        return kafka.idempotentProducer(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                transactionalId,
                ProducerConfig.BATCH_SIZE_CONFIG,
                1 << 20,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "lz4"));
    }

    /** The fixture runs copied under new ids, interleaved as concurrent runs arrive, split by partition. */
    private static List<List<Chunk>> chunksByPartition(int count) {
        List<TemplateRun> templates = FixtureTemplates.load();
        List<List<Chunk>> runs = new ArrayList<>();
        Instant now = Instant.now();
        for (int r = 0; r < count; r++) {
            TemplateRun template = templates.get(r % templates.size());
            String runId = FixtureTemplates.newRunId(7, r);
            byte[] runIdBytes = runId.getBytes(UTF_8);
            int partition = TopicConventions.partitionFor(runId, Sizes.PARTITIONS);
            List<Chunk> chunks = new ArrayList<>();
            for (TemplateChunk chunk : template.chunks()) {
                byte[] value = chunk.payload(runIdBytes);
                Envelope envelope =
                        Envelope.chunk(SOURCE, runId, chunk.position(), chunk.sseEvent(), now, "agent-1", null);
                ProducerRecord<byte[], byte[]> record =
                        new ChunkLogRecord(envelope, value).toProducerRecord("unused", partition);
                chunks.add(new Chunk(runId, partition, record, value, NaiveRecorder.headers()));
            }
            runs.add(chunks);
        }
        List<List<Chunk>> byPartition = new ArrayList<>();
        for (int p = 0; p < Sizes.PARTITIONS; p++) {
            byPartition.add(new ArrayList<>());
        }
        for (int wave = 0; wave < runs.size(); wave += CONCURRENT_RUNS) {
            List<List<Chunk>> concurrent = runs.subList(wave, Math.min(runs.size(), wave + CONCURRENT_RUNS));
            boolean any = true;
            for (int i = 0; any; i++) {
                any = false;
                for (List<Chunk> run : concurrent) {
                    if (i < run.size()) {
                        any = true;
                        Chunk chunk = run.get(i);
                        byPartition.get(chunk.partition()).add(chunk);
                    }
                }
            }
        }
        return byPartition;
    }

    private static String table(List<Shape> shapes, Map<Shape, List<Trial>> trials) {
        StringBuilder out = new StringBuilder(
                "| shape | chunks/s, median (range) | CPU ms per 1,000 chunks, median (range) | CPU against today's"
                        + " shape of its size, per round, median (range) | transactions |\n|---|---|---|---|---|\n");
        for (Shape shape : shapes) {
            List<Trial> list = trials.get(shape);
            List<Trial> today = trials.get(
                    new Shape(Commit.PER_PARTITION, true, shape.perPartition() == 0 ? LARGE : shape.perPartition()));
            Spread rate = Spread.of(list.stream().map(Trial::chunksPerSecond).toList());
            Spread cpu =
                    Spread.of(list.stream().map(Trial::cpuMillisPerThousand).toList());
            Spread ratio = Spread.ofRatios(
                    list.stream().map(Trial::cpuMillisPerThousand).toList(),
                    today.stream().map(Trial::cpuMillisPerThousand).toList());
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %,.0f (%,.0f–%,.0f) | %.1f (%.1f–%.1f) | %.2f (%.2f–%.2f) | %d |%n",
                    shape.label(),
                    rate.median(),
                    rate.min(),
                    rate.max(),
                    cpu.median(),
                    cpu.min(),
                    cpu.max(),
                    ratio.median(),
                    ratio.min(),
                    ratio.max(),
                    list.getFirst().transactions()));
        }
        return out.toString();
    }

    private static int headerCount(ProducerRecord<byte[], byte[]> record) {
        int n = 0;
        for (Header ignored : record.headers()) {
            n++;
        }
        return n;
    }
}
