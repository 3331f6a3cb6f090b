package dev.lsr.recorder;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.InProcessFleet;
import dev.lsr.recorder.testing.RecordedOnce;
import dev.lsr.recorder.testing.SimSends;
import dev.lsr.sim.LettaSim;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An offer through the intake topic is a hint, and hints get lost: in a takeover race (the one {@code
 * IntakeTakeoverIT} pins), when the intake producer cannot reach the broker, or when the owner's recording of
 * the run fails. Two fleet members on a real broker; the owner of partition 1 never sees the first offer made to
 * it (a consumer interceptor drops it, as the takeover race did). The watching member offers the run again while
 * Letta still lists it as active, or once more when it leaves the listing, and the run is recorded, once, every
 * chunk once. Before either, the run was never recorded by anyone.
 */
@ExtendWith(KafkaBrokerExtension.class)
class DroppedOfferIT {

    private static final Duration POLL = Duration.ofMillis(100);

    @Test
    void aRunWhoseOfferIsLostIsOfferedAgainAndRecordedOnce(KafkaBroker broker) throws Exception {
        // 40 chunks, 16 s: still active when the watcher offers it again
        recordWithTheFirstOfferDropped(broker, Clock.systemUTC(), "[sim:chunks=40] hi", Duration.ofMillis(400));
    }

    @Test
    void aShortRunWhoseOfferIsLostIsOfferedOnceMoreAtItsEnd(KafkaBroker broker) throws Exception {
        // 8 chunks, 2 s: ended long before a re-offer; created (as Letta says) 10 minutes ago, before what the
        // ended-run sweeps look at, so only the offer at its end brings it to its owner
        recordWithTheFirstOfferDropped(
                broker,
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)),
                "[sim:chunks=8] hi",
                Duration.ofMillis(250));
    }

    /**
     * The offer of a run found only by the ended-run sweep (it started and ended between two polls, so it was never
     * listed as active, and no end of it in the listing offers it once more) fails at the intake producer: the broker
     * never took it. It is sent again until it is, and the run is recorded, once. Before, nobody ever offered it
     * again: the sweeps skipped it as offered lately until it fell out of their window. (A run this short is listed
     * as active by a 2 s poll about once in a hundred times; its end in the listing then offers it once more, and
     * the test passes without proving the retry.)
     */
    @Test
    void aRunOnlyTheSweepFoundWhoseOfferFailedIsOfferedUntilSent(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("unsent");
        FailFirstOffer.arm(topic + ".intake");
        recordOneOfferedRun(
                broker,
                topic,
                LettaSim.builder().pace(Duration.ofMillis(5)),
                "[sim:chunks=3] hi",
                Duration.ofSeconds(2),
                "producer.interceptor.classes",
                FailFirstOffer.class,
                FailFirstOffer.failed);
    }

    private static void recordWithTheFirstOfferDropped(KafkaBroker broker, Clock simClock, String text, Duration pace)
            throws Exception {
        String topic = broker.uniqueTopic("reoffer");
        DropFirstOffer.arm(topic + ".intake");
        recordOneOfferedRun(
                broker,
                topic,
                LettaSim.builder().pace(pace).clock(simClock),
                text,
                POLL,
                "consumer.interceptor.classes",
                DropFirstOffer.class,
                DropFirstOffer.dropped);
    }

    /**
     * Two members on {@code topic}'s two partitions; runs are started until one falls in partition 1 (those of
     * partition 0 are the watcher's own, the first of partition 1 is offered to the other member). The
     * {@code interceptor} (a client property {@code interceptorKey}) loses that run's first offer and names it in
     * {@code lostOffer}; the run must then be recorded once, every chunk once.
     */
    private static void recordOneOfferedRun(
            KafkaBroker broker,
            String topic,
            LettaSim.Builder simulator,
            String text,
            Duration poll,
            String interceptorKey,
            Class<?> interceptor,
            AtomicReference<String> lostOffer)
            throws Exception {
        try (LettaSim sim = simulator.start();
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic);
                InProcessFleet fleet = new InProcessFleet()) {
            RecorderConfig member = RecorderConfig.builder(sim.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .partitions(2)
                    .fleet(true)
                    .groupId(broker.uniqueTopic("fleet"))
                    .pollInterval(poll)
                    .backoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                    .kafkaProperty(interceptorKey, interceptor.getName())
                    .build();
            fleet.join("a", member);
            fleet.join("b", member);
            fleet.awaitEachHolds(1, Duration.ofSeconds(60));

            String offeredRun = null;
            for (int i = 0; offeredRun == null; i++) {
                String runId = SimSends.startBackgroundRun(sim, "agent-" + i, text);
                if (TopicConventions.partitionFor(runId, 2) == 1) {
                    offeredRun = runId;
                }
            }
            String runId = offeredRun;
            await("the first offer of the run is lost")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> runId.equals(lostOffer.get()));

            log.awaitUntil(l -> l.ended(Set.of(runId)), Duration.ofSeconds(60));
            assertEquals(List.of(), RecordedOnce.wrong(log, sim, List.of(runId)), "attached once, every chunk once");
            assertEquals(RecordType.RUN_FINISHED, log.types(runId).getLast());
        }
    }

    /**
     * Makes the first offer sent to the armed intake topic fail (a record over the producer's size limit fails its
     * send at once), as an unreachable broker fails it after {@code delivery.timeout.ms}; in any member of this JVM.
     */
    public static final class FailFirstOffer implements ProducerInterceptor<byte[], byte[]> {

        private static volatile String intakeTopic;
        static final AtomicReference<String> failed = new AtomicReference<>();

        static void arm(String topic) {
            failed.set(null);
            intakeTopic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
            if (record.topic().equals(intakeTopic) && failed.compareAndSet(null, new String(record.key(), UTF_8))) {
                return new ProducerRecord<>(record.topic(), record.partition(), record.key(), new byte[64 << 20]);
            }
            return record;
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {}

        @Override
        public void close() {}

        @Override
        public void configure(Map<String, ?> configs) {}
    }

    /** Drops the first record consumed from the armed intake topic, in any member of this JVM. */
    public static final class DropFirstOffer implements ConsumerInterceptor<byte[], byte[]> {

        private static volatile String intakeTopic;
        static final AtomicReference<String> dropped = new AtomicReference<>();

        static void arm(String topic) {
            dropped.set(null);
            intakeTopic = topic;
        }

        @Override
        public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> kept = new HashMap<>();
            boolean droppedOne = false;
            for (ConsumerRecord<byte[], byte[]> record : records) {
                if (record.topic().equals(intakeTopic)
                        && dropped.compareAndSet(null, new String(record.key(), UTF_8))) {
                    droppedOne = true;
                    continue;
                }
                kept.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), p -> new ArrayList<>())
                        .add(record);
            }
            return droppedOne ? new ConsumerRecords<>(kept, records.nextOffsets()) : records;
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

        @Override
        public void close() {}

        @Override
        public void configure(Map<String, ?> configs) {}
    }
}
