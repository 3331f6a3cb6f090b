package dev.lsr.recorder.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.kafka.InDoubtTransactions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The committed chunk log as a read_committed consumer sees it: every record of every partition, in
 * partition order (a run lives in one partition, so a run's records are in log order).
 */
public final class CommittedLog implements AutoCloseable {

    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);

    private final String bootstrapServers;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final List<ChunkLogRecord> records = new ArrayList<>();

    public CommittedLog(String bootstrapServers, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.bootstrapServers = bootstrapServers;
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
    }

    /** Reads until {@code done} holds over everything read, or fails after {@code timeout}. */
    public CommittedLog awaitUntil(Predicate<CommittedLog> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            poll();
            if (done.test(this)) {
                return this;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "the committed log did not get there in " + timeout + "; runs so far: " + summary());
            }
        }
    }

    /**
     * Reads everything committed before this call: waits for the commit markers of transactions still
     * in doubt (a recorder that just stopped may have committed a moment ago), then reads every
     * partition up to its last stable offset.
     */
    public CommittedLog catchUp() {
        InDoubtTransactions.awaitResolved(bootstrapServers, topic, CATCH_UP_TIMEOUT);
        while (consumer.assignment().isEmpty()) {
            poll();
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), CATCH_UP_TIMEOUT);
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("could not read " + topic + " up to " + end + "; runs so far: " + summary());
            }
            poll();
        }
        return this;
    }

    private void poll() {
        if (consumer.assignment().isEmpty()) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (partitions == null || partitions.isEmpty()) {
                sleep();
                return;
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            records.add(ChunkLogRecord.fromConsumerRecord(record));
        }
    }

    public List<ChunkLogRecord> all() {
        return List.copyOf(records);
    }

    public Map<String, List<ChunkLogRecord>> byRun() {
        Map<String, List<ChunkLogRecord>> runs = new LinkedHashMap<>();
        for (ChunkLogRecord record : records) {
            runs.computeIfAbsent(record.runId(), id -> new ArrayList<>()).add(record);
        }
        return runs;
    }

    public List<ChunkLogRecord> run(String runId) {
        return records.stream().filter(r -> r.runId().equals(runId)).toList();
    }

    public List<String> chunks(String runId) {
        return run(runId).stream()
                .filter(r -> r.type() == RecordType.CHUNK)
                .map(r -> new String(r.value(), UTF_8))
                .toList();
    }

    /** The positions of the run's chunk records, in log order (a position recorded twice appears twice). */
    public List<Position> chunkPositions(String runId) {
        return run(runId).stream()
                .filter(r -> r.type() == RecordType.CHUNK)
                .map(ChunkLogRecord::position)
                .toList();
    }

    public List<RecordType> types(String runId) {
        return run(runId).stream().map(ChunkLogRecord::type).toList();
    }

    /** True when every one of these runs has a terminal record. */
    public boolean ended(Set<String> runIds) {
        return runIds.stream()
                .allMatch(id -> run(id).stream().anyMatch(r -> r.type().isTerminal()));
    }

    private String summary() {
        StringBuilder out = new StringBuilder();
        byRun().forEach((id, list) -> out.append(id)
                .append('=')
                .append(list.size())
                .append(list.getLast().type())
                .append(' '));
        return out.toString();
    }

    /**
     * The back-off of a poll loop while the topic does not exist yet (partitionsFor answers at once then):
     * not a wait for a condition, which the callers own with their deadlines.
     */
    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
