package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class TopicConventionsTest {

    @Test
    void partitionOfARunIsKafkasDefaultPartitionOfItsKey() {
        for (int i = 0; i < 500; i++) {
            String runId = "run-" + i;
            for (int partitions : new int[] {1, 3, 12}) {
                assertEquals(
                        BuiltInPartitioner.partitionForKey(runId.getBytes(UTF_8), partitions),
                        TopicConventions.partitionFor(runId, partitions));
            }
        }
    }

    @Test
    void transactionalIdIsStablePerTopicAndPartition() {
        assertEquals("lsr-recorder-letta.chunks-3", TopicConventions.transactionalId("letta.chunks", 3));
        assertNotEquals(TopicConventions.transactionalId("a", 1), TopicConventions.transactionalId("a", 2));
        assertEquals("letta.chunks.checkpoints", TopicConventions.checkpointTopic("letta.chunks"));
    }
}
