package dev.lsr.replay.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RunIndexTest {

    private static final String TOPIC = "letta.chunks";

    /** An index that stops following the log says why, so that the readiness probe can, instead of going stale silently. */
    @Test
    void anIndexThatStopsReadingSaysWhy() {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        Node node = new Node(0, "localhost", 9092);
        consumer.updatePartitions(
                TOPIC, List.of(new PartitionInfo(TOPIC, 0, node, new Node[] {node}, new Node[] {node})));
        consumer.updateBeginningOffsets(Map.of(partition, 0L));
        consumer.updateEndOffsets(Map.of(partition, 0L));
        try (RunIndex index = new RunIndex(consumer, TOPIC, Duration.ofSeconds(5))) {
            index.start();
            await().atMost(Duration.ofSeconds(10)).until(index::isReady);
            assertNull(index.failure());
            assertNull(index.notReadyReason());
            consumer.setPollException(new KafkaException("authorization revoked"));
            await().atMost(Duration.ofSeconds(10)).until(() -> index.failure() != null);
            assertTrue(index.failure().contains("authorization revoked"), index.failure());
            assertTrue(
                    index.notReadyReason().startsWith("stopped following the log: ")
                            && index.notReadyReason().contains("authorization revoked"),
                    index.notReadyReason());
        }
    }
}
