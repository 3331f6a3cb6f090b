package dev.lsr.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class MissingOffsetsTest {

    private static final TopicPartition DELETED = new TopicPartition("letta.chunks", 0);
    private static final TopicPartition TRUNCATED = new TopicPartition("letta.chunks", 1);

    @Test
    void belowTheStartItGoesOnFromTheStartAndSaysWhatWasDeleted() {
        MockConsumer<byte[], byte[]> consumer = consumer(Map.of(DELETED, 10L), Map.of(DELETED, 20L));

        List<MissingOffsets.Resumed> resumed = goOn(consumer, Map.of(DELETED, 3L));

        assertEquals(List.of(new MissingOffsets.Resumed(DELETED, 3, 10)), resumed);
        assertTrue(resumed.getFirst().deleted());
        assertEquals(7, resumed.getFirst().deletedBelow(Long.MAX_VALUE));
        assertEquals(2, resumed.getFirst().deletedBelow(5), "a bounded read counts only up to its end");
        assertEquals(0, resumed.getFirst().deletedBelow(2));
        assertEquals(10, consumer.position(DELETED));
    }

    @Test
    void aboveTheEndItGoesOnFromTheEndButNeverSkipsWhatTheLogHasAgain() {
        MockConsumer<byte[], byte[]> consumer = consumer(Map.of(TRUNCATED, 0L), Map.of(TRUNCATED, 20L));

        List<MissingOffsets.Resumed> shorter = goOn(consumer, Map.of(TRUNCATED, 25L));
        assertEquals(List.of(new MissingOffsets.Resumed(TRUNCATED, 20, 20)), shorter);
        assertFalse(shorter.getFirst().deleted());
        assertEquals(20, consumer.position(TRUNCATED));

        consumer.updateEndOffsets(Map.of(TRUNCATED, 40L)); // it grew past the position since the error
        assertEquals(List.of(new MissingOffsets.Resumed(TRUNCATED, 25, 25)), goOn(consumer, Map.of(TRUNCATED, 25L)));
        assertEquals(25, consumer.position(TRUNCATED));
    }

    @Test
    void aTallyCountsEachDeletedOffsetOnceWhenTheReaderSeeksBackToIt() {
        MissingOffsets.Tally tally = new MissingOffsets.Tally();

        assertEquals(66, tally.count(new MissingOffsets.Resumed(DELETED, 64, 130)));
        assertEquals(0, tally.count(new MissingOffsets.Resumed(DELETED, 64, 130)), "a rewind meets the same hole");
        assertEquals(70, tally.count(new MissingOffsets.Resumed(DELETED, 64, 200)), "deleted further since");
        assertEquals(5, tally.count(new MissingOffsets.Resumed(TRUNCATED, 0, 5)), "partitions count apart");
        assertEquals(0, tally.count(new MissingOffsets.Resumed(TRUNCATED, 20, 20)), "a truncation deletes nothing");
    }

    private static List<MissingOffsets.Resumed> goOn(
            MockConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> at) {
        return MissingOffsets.goOn(
                consumer,
                new OffsetOutOfRangeException("out of range", at),
                Duration.ofSeconds(1),
                LoggerFactory.getLogger(MissingOffsetsTest.class),
                "the test");
    }

    private static MockConsumer<byte[], byte[]> consumer(
            Map<TopicPartition, Long> starts, Map<TopicPartition, Long> ends) {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("none");
        consumer.assign(starts.keySet());
        consumer.updateBeginningOffsets(starts);
        consumer.updateEndOffsets(ends);
        return consumer;
    }
}
