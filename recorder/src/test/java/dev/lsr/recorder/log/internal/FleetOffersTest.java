package dev.lsr.recorder.log.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.kernel.Backoff;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Offers to the fleet: sent again until taken, at most one retry per run whatever its later offers. */
class FleetOffersTest {

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final FleetOffers offers =
            new FleetOffers("t.intake", producer, Backoff.doubling(Duration.ofMillis(20), Duration.ofMillis(20)));

    @AfterEach
    void close() {
        offers.close();
    }

    @Test
    void aFailedOfferIsSentAgainUntilTakenWithTheLatestMode() {
        offers.offer("run-1", "watch_ended");
        producer.errorNext(new TimeoutException("broker away"));
        assertEquals(1, offers.waiting());

        // a long outage offers the run again and again (the watcher, a hand-over): one retry, not one per offer
        offers.offer("run-1", "watch");
        offers.offer("run-1", "intake");
        await().atMost(Duration.ofSeconds(5)).until(() -> sent().size() == 2);
        assertEquals(List.of("run-1 watch_ended", "run-1 intake"), sent(), "the retry carries the latest mode");

        producer.errorNext(new TimeoutException("still away"));
        await().atMost(Duration.ofSeconds(5)).until(() -> sent().size() == 3);
        producer.completeNext();
        assertEquals(0, offers.waiting(), "taken: nothing waits");
        assertEquals(3, sent().size());
    }

    @Test
    void offersOfSeveralRunsWaitEachOnItsOwn() {
        offers.offer("run-1", "watch");
        offers.offer("run-2", "watch");
        producer.errorNext(new TimeoutException("broker away"));
        producer.completeNext();
        assertEquals(1, offers.waiting());
        await().atMost(Duration.ofSeconds(5)).until(() -> sent().size() == 3);
        assertEquals("run-1 watch", sent().get(2));
    }

    private List<String> sent() {
        return producer.history().stream().map(FleetOffersTest::text).toList();
    }

    private static String text(ProducerRecord<byte[], byte[]> record) {
        return new String(record.key(), UTF_8) + " " + new String(record.value(), UTF_8);
    }
}
