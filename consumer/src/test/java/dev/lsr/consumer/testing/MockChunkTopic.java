package dev.lsr.consumer.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.TopicConventions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * A chunk topic held in memory for unit tests of pure reading logic: records are placed in the
 * partition of their run (as the recorder places them) and served by Kafka's own {@link MockConsumer}.
 * Integration tests use a real broker instead.
 */
public final class MockChunkTopic {

    private final String topic;
    private final int partitions;
    private final Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition = new HashMap<>();

    public MockChunkTopic(String topic, int partitions) {
        this.topic = topic;
        this.partitions = partitions;
        for (int p = 0; p < partitions; p++) {
            byPartition.put(p, new ArrayList<>());
        }
    }

    public MockChunkTopic append(List<ChunkLogRecord> records) {
        records.forEach(this::append);
        return this;
    }

    public MockChunkTopic append(ChunkLogRecord record) {
        var producerRecord = record.toProducerRecord(topic, null);
        return appendRaw(record.runId(), producerRecord.value(), producerRecord.headers());
    }

    /** Appends any bytes and headers under a run's key, e.g. a broken record. */
    public MockChunkTopic appendRaw(String runId, byte[] value, Headers headers) {
        int partition = TopicConventions.partitionFor(runId, partitions);
        List<ConsumerRecord<byte[], byte[]>> log = byPartition.get(partition);
        byte[] key = runId == null ? null : runId.getBytes(UTF_8);
        log.add(new ConsumerRecord<>(
                topic,
                partition,
                log.size(),
                0L,
                TimestampType.CREATE_TIME,
                -1,
                -1,
                key,
                value,
                headers == null ? new RecordHeaders() : headers,
                Optional.empty()));
        return this;
    }

    public int partitionOf(String runId) {
        return TopicConventions.partitionFor(runId, partitions);
    }

    /** A consumer over the records appended so far (its end offsets are the current sizes). */
    public MockConsumer<byte[], byte[]> consumer() {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        List<PartitionInfo> infos = new ArrayList<>();
        Map<TopicPartition, Long> begin = new HashMap<>();
        Map<TopicPartition, Long> end = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            infos.add(new PartitionInfo(topic, p, Node.noNode(), new Node[0], new Node[0]));
            begin.put(new TopicPartition(topic, p), 0L);
            end.put(new TopicPartition(topic, p), (long) byPartition.get(p).size());
        }
        consumer.updatePartitions(topic, infos);
        consumer.updateBeginningOffsets(begin);
        consumer.updateEndOffsets(end);
        consumer.schedulePollTask(() -> byPartition
                .values()
                .forEach(log -> log.forEach(record -> {
                    if (consumer.assignment().contains(new TopicPartition(topic, record.partition()))) {
                        consumer.addRecord(record);
                    }
                })));
        return consumer;
    }

    public String topic() {
        return topic;
    }
}
