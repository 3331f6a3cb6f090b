package dev.lsr.consumer.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.lsr.kafka.InDoubtTransactions;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a spans topic as an OpenTelemetry Collector's Kafka receiver would ({@code read_committed}, every
 * value an OTLP {@code ExportTraceServiceRequest}): the span trees by run, records without spans left out.
 */
public final class SpanTopicReader {

    private SpanTopicReader() {}

    /** Every committed request that holds spans, by run (the record key), in log order. */
    public static Map<String, List<ExportTraceServiceRequest>> trees(String bootstrapServers, String topic) {
        InDoubtTransactions.awaitResolved(bootstrapServers, topic, Duration.ofSeconds(60));
        Map<String, List<ExportTraceServiceRequest>> trees = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers",
                bootstrapServers,
                "isolation.level",
                "read_committed",
                "enable.auto.commit",
                "false",
                "key.deserializer",
                ByteArrayDeserializer.class.getName(),
                "value.deserializer",
                ByteArrayDeserializer.class.getName()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(record.value());
                    if (request.getResourceSpansCount() > 0) {
                        trees.computeIfAbsent(new String(record.key(), UTF_8), k -> new ArrayList<>())
                                .add(request);
                    }
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("a record of " + topic + " is no OTLP request", e);
        }
        return trees;
    }
}
