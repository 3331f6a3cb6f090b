package dev.lsr.replay.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.consumer.testing.FixtureLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RunIndexTest {

    private static final String TOPIC = "letta.chunks";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final List<ChunkLogRecord> RUN_ONE =
            FixtureLog.of("01-simple-reply").runId("run-1").records();

    /** An index refused by the broker stops for good and says why, so that the readiness probe can. */
    @Test
    void anIndexRefusedByTheBrokerStopsAndSaysWhy() {
        MockConsumer<byte[], byte[]> consumer = emptyTopic();
        try (RunIndex index = new RunIndex(consumer, TOPIC, Duration.ofSeconds(5))) {
            index.start();
            await().atMost(Duration.ofSeconds(10)).until(index::isReady);
            assertNull(index.failure());
            assertNull(index.notReadyReason());
            consumer.setPollException(new TopicAuthorizationException("authorization revoked"));
            await().atMost(Duration.ofSeconds(10)).until(() -> index.failure() != null);
            assertTrue(index.failure().contains("authorization revoked"), index.failure());
            assertTrue(
                    index.notReadyReason().startsWith("stopped following the log: ")
                            && index.notReadyReason().contains("authorization revoked"),
                    index.notReadyReason());
            assertEquals(0, index.outages());
        }
    }

    /**
     * A fatal stop ends the live feeds after the records they had, and a feed subscribed later at once, so no
     * stream sends pings for a log nobody follows any more.
     */
    @Test
    void anIndexThatStopsForGoodEndsItsLiveFeeds() throws Exception {
        MockConsumer<byte[], byte[]> consumer = emptyTopic();
        try (RunIndex index = indexingRunOne(consumer)) {
            LiveFeed tailing = index.subscribe("run-1", 0);
            consumer.addRecord(consumed(RUN_ONE.get(1), 1));
            LiveFeed.Item offered = tailing.next(Duration.ofSeconds(10));
            assertEquals(1, offered == null ? -1 : offered.offset());

            consumer.setPollException(new TopicAuthorizationException("authorization revoked"));
            await().atMost(Duration.ofSeconds(10)).until(() -> index.failure() != null);

            assertSame(LiveFeed.END, tailing.next(Duration.ofSeconds(10)), "the tailing feed ends");
            assertSame(LiveFeed.END, tailing.next(Duration.ofSeconds(10)), "and stays ended");
            LiveFeed later = index.subscribe("run-1", 0);
            assertEquals(2, later.handover(), "a later stream still catches up to where the index was");
            assertSame(LiveFeed.END, later.next(Duration.ZERO), "then ends at once");
            index.unsubscribe(tailing);
            index.unsubscribe(later);
        }
    }

    /** Closing the index ends its live feeds, so no tailing request keeps the server's shutdown waiting. */
    @Test
    void closingTheIndexEndsItsLiveFeeds() throws Exception {
        MockConsumer<byte[], byte[]> consumer = emptyTopic();
        LiveFeed tailing;
        try (RunIndex index = indexingRunOne(consumer)) {
            tailing = index.subscribe("run-1", 0);
        }

        assertSame(LiveFeed.END, tailing.next(Duration.ofSeconds(10)));
    }

    /**
     * A transient error is retried on the same consumer: readiness says the index is not following meanwhile
     * (error class, since when), the outage is counted once, and the records that arrive meanwhile reach the
     * index and a live feed subscribed before it, from its handover on.
     */
    @Test
    void aTransientErrorIsRetriedAndReportedUntilTheIndexReadsAgain() throws Exception {
        MockConsumer<byte[], byte[]> consumer = emptyTopic();
        try (RunIndex index = indexingRunOne(consumer)) {
            LiveFeed feed = index.subscribe("run-1", 0);
            assertEquals(1, feed.handover());

            for (int i = 0; i < 3; i++) {
                consumer.schedulePollTask(() -> {
                    throw new TimeoutException("the broker is away");
                });
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> index.notReadyReason() != null);
            String reason = index.notReadyReason();
            assertTrue(
                    reason.startsWith("not following the log since ")
                            && reason.endsWith("(TimeoutException: the broker is away); retrying"),
                    reason);
            consumer.addRecord(consumed(RUN_ONE.get(1), 1));

            await().atMost(Duration.ofSeconds(10)).until(() -> index.notReadyReason() == null);
            assertNull(index.failure());
            assertEquals(1, index.outages());
            assertEquals(3, index.failedReads());
            LiveFeed.Item item = feed.next(Duration.ofSeconds(10));
            assertEquals(1, item == null ? -1 : item.offset(), "the feed gets the record read after the outage");
            index.unsubscribe(feed);
        }
    }

    /**
     * Kafka's consumer raises nothing when its topic is deleted, so the index asks for it: a topic missing
     * from three checks in a row stops the index for good. A check that fails (the broker away: the
     * metadata call times out) is an outage like a failed read, never a deletion.
     */
    @Test
    void aTopicMissingFromThreeChecksStopsTheIndexButAFailedCheckIsAnOutage() throws Exception {
        AtomicBoolean brokerAway = new AtomicBoolean();
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest") {
            @Override
            public synchronized List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
                if (brokerAway.get()) {
                    throw new TimeoutException("Timeout expired while fetching topic metadata");
                }
                return super.partitionsFor(topic, timeout);
            }
        };
        withOnePartition(consumer);
        try (RunIndex index = new RunIndex(consumer, TOPIC, Duration.ofSeconds(5), Duration.ofMillis(20))) {
            index.start();
            await().atMost(Duration.ofSeconds(10)).until(index::isReady);

            brokerAway.set(true);
            await().atMost(Duration.ofSeconds(10)).until(() -> index.failedReads() >= 5);
            assertNull(index.failure(), "a failed check is not a deletion");
            assertTrue(index.notReadyReason().contains("TimeoutException"), index.notReadyReason());
            brokerAway.set(false);
            await().atMost(Duration.ofSeconds(10)).until(() -> index.notReadyReason() == null);

            consumer.updatePartitions(TOPIC, List.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> index.failure() != null);
            assertTrue(index.topicDeleted());
            assertTrue(index.failure().contains("topic " + TOPIC + " no longer exists"), index.failure());
        }
    }

    @Test
    void onlyErrorsThatRetryingCannotMendAreFatal() {
        assertFalse(RunIndex.isFatal(new TimeoutException("position")));
        assertFalse(RunIndex.isFatal(new NotLeaderOrFollowerException("moved")));
        assertFalse(RunIndex.isFatal(new KafkaException("unexpected error code")));
        assertTrue(RunIndex.isFatal(new TopicAuthorizationException("denied")));
        assertTrue(RunIndex.isFatal(new SaslAuthenticationException("bad password")));
        assertTrue(RunIndex.isFatal(new UnsupportedVersionException("old broker")));
        assertTrue(RunIndex.isFatal(new InterruptException(new InterruptedException())));
        assertTrue(RunIndex.isFatal(new IllegalStateException("a bug")));
        assertTrue(RunIndex.isFatal(new KafkaException(
                "Received exception when fetching the next record", new CorruptRecordException("crc"))));
        assertTrue(RunIndex.isFatal(new KafkaException("wrapped", new TopicAuthorizationException("denied"))));
    }

    /** An index started on the empty topic that has then indexed run-1's first record (offset 0). */
    private static RunIndex indexingRunOne(MockConsumer<byte[], byte[]> consumer) {
        RunIndex index = new RunIndex(consumer, TOPIC, Duration.ofSeconds(5));
        try {
            index.start();
            await().atMost(Duration.ofSeconds(10)).until(index::isReady);
            consumer.addRecord(consumed(RUN_ONE.getFirst(), 0));
            await().atMost(Duration.ofSeconds(10)).until(() -> index.runCount() == 1);
            return index;
        } catch (RuntimeException e) {
            index.close();
            throw e;
        }
    }

    private static MockConsumer<byte[], byte[]> emptyTopic() {
        return withOnePartition(new MockConsumer<>("earliest"));
    }

    private static MockConsumer<byte[], byte[]> withOnePartition(MockConsumer<byte[], byte[]> consumer) {
        Node node = new Node(0, "localhost", 9092);
        consumer.updatePartitions(
                TOPIC, List.of(new PartitionInfo(TOPIC, 0, node, new Node[] {node}, new Node[] {node})));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.updateEndOffsets(Map.of(PARTITION, 0L));
        return consumer;
    }

    private static ConsumerRecord<byte[], byte[]> consumed(ChunkLogRecord record, long offset) {
        ProducerRecord<byte[], byte[]> produced = record.toProducerRecord(TOPIC, 0);
        return new ConsumerRecord<>(
                TOPIC,
                0,
                offset,
                0L,
                TimestampType.CREATE_TIME,
                -1,
                -1,
                produced.key(),
                produced.value(),
                produced.headers(),
                Optional.empty());
    }
}
