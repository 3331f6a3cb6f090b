package dev.lsr.viewer.internal.log;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.viewer.model.RunCatalog;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A run page for a run that is not in the log answers from the catalog once it has read the log to its end: no
 * replay. Before, every such request (a stale link, a typo, a crawler) read the run's whole partition, never cached.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LogRunsIT {

    @Test
    void aRunNotInTheLogIsNotReadForOnceTheCatalogKnowsEveryRun(KafkaBroker broker) {
        String topic = broker.uniqueTopic("viewer-unknown");
        broker.createTopic(topic, 2);
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            producer.append(FixtureLog.of("01-simple-reply").records());
        }
        LogRuns.LogAccess access = new LogRuns.LogAccess(
                Map.of("bootstrap.servers", broker.bootstrapServers()), topic, Duration.ofSeconds(10));
        RunCatalog catalog = new RunCatalog();
        AtomicInteger replays = new AtomicInteger();
        LogRuns runs = new LogRuns(
                () -> {
                    replays.incrementAndGet();
                    return access.open();
                },
                catalog);
        LogFollower follower = new LogFollower(access, catalog).start();
        try {
            await("the catalog read the log to its end")
                    .atMost(Duration.ofSeconds(60))
                    .until(catalog::knowsEveryRun);

            assertTrue(runs.view("run-nope").isEmpty());
            assertTrue(runs.view("run-nope").isEmpty());
            assertEquals(0, replays.get(), "no replay for a run the catalog does not know");
            assertTrue(runs.view(FixtureLog.originalRunId("01-simple-reply")).isPresent());
            assertEquals(1, replays.get(), "a known run is read");
        } finally {
            follower.close();
        }
    }
}
