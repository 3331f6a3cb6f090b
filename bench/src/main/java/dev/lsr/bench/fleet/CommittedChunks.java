package dev.lsr.bench.fleet;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.StoredFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The committed chunk log read back (read_committed), and the count checks of the fleet benchmarks. */
final class CommittedChunks implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, List<ChunkLogRecord>> byRun = new LinkedHashMap<>();
    private long records;

    CommittedChunks(String bootstrapServers, String topic, int partitions) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(topic, p));
        }
        consumer.assign(all);
        consumer.seekToBeginning(all);
    }

    /** Reads what was committed since the last call (at most ten polls, so a busy log does not hold it). */
    CommittedChunks poll() {
        for (int polls = 0, empty = 0; empty < 3 && polls < 10; polls++) {
            var batch = consumer.poll(Duration.ofMillis(300));
            empty = batch.isEmpty() ? empty + 1 : 0;
            for (ConsumerRecord<byte[], byte[]> record : batch) {
                ChunkLogRecord r = ChunkLogRecord.fromConsumerRecord(record);
                byRun.computeIfAbsent(r.runId(), id -> new ArrayList<>()).add(r);
                records++;
            }
        }
        return this;
    }

    long records() {
        return records;
    }

    long chunks() {
        return byRun.values().stream()
                .flatMap(List::stream)
                .filter(r -> r.type() == RecordType.CHUNK)
                .count();
    }

    boolean allEnded(List<String> runIds) {
        return runIds.stream()
                .allMatch(id -> byRun.getOrDefault(id, List.of()).stream()
                        .anyMatch(r -> r.type().isTerminal()));
    }

    /** The runs whose log is wrong: chunks not the stored frames, not one run.finished, a position twice. */
    List<String> wrongRuns(LettaSim sim) {
        List<String> wrong = new ArrayList<>();
        for (String runId : sim.runIds()) {
            List<ChunkLogRecord> records = byRun.getOrDefault(runId, List.of());
            List<Position> positions = records.stream()
                    .filter(r -> r.type() == RecordType.CHUNK)
                    .map(ChunkLogRecord::position)
                    .toList();
            List<String> chunks = records.stream()
                    .filter(r -> r.type() == RecordType.CHUNK)
                    .map(r -> new String(r.value(), UTF_8))
                    .toList();
            long finished = records.stream()
                    .filter(r -> r.type() == RecordType.RUN_FINISHED)
                    .count();
            Set<Position> unique = new HashSet<>(positions);
            if (unique.size() != positions.size() || finished != 1 || !chunks.equals(storedPayloads(sim, runId))) {
                wrong.add(runId + " (chunks " + chunks.size() + "/"
                        + storedPayloads(sim, runId).size() + ", finished " + finished + ", duplicates "
                        + (positions.size() - unique.size()) + ")");
            }
        }
        return wrong;
    }

    private static List<String> storedPayloads(LettaSim sim, String runId) {
        List<String> payloads = new ArrayList<>();
        for (StoredFrame frame : sim.storedFrames(runId)) {
            String text = new String(frame.servedBytes(), UTF_8);
            String payload = text.substring(text.indexOf("data: ") + "data: ".length(), text.length() - 2);
            if (!payload.startsWith("[DONE]")) {
                payloads.add(payload);
            }
        }
        return payloads;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
