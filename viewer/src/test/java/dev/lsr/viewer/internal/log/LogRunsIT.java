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

    /**
     * A run's page after partitions were added to the chunk topic: the run's records are where its id hashes over
     * the log's layout count, as the recorder wrote them; hashed over today's count, the page read another
     * partition and said the run was not there.
     */
    @Test
    void aRunIsFoundInItsPartitionAfterPartitionsWereAdded(KafkaBroker broker) throws Exception {
        String run = java.util.stream.IntStream.range(0, 1000)
                .mapToObj(i -> "run-grown-" + i)
                .filter(id -> dev.lsr.chunklog.TopicConventions.partitionFor(id, 2)
                        != dev.lsr.chunklog.TopicConventions.partitionFor(id, 3))
                .findFirst()
                .orElseThrow();
        String topic = broker.uniqueTopic("viewer-grown");
        broker.createTopic(topic, 2);
        String checkpoints = dev.lsr.chunklog.TopicConventions.checkpointTopic(topic);
        broker.createTopic(checkpoints, 1);
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), checkpoints)) {
            producer.appendRaw(java.util.List.of(new org.apache.kafka.clients.producer.ProducerRecord<>(
                    checkpoints,
                    dev.lsr.chunklog.LogLayout.PARTITION,
                    dev.lsr.chunklog.LogLayout.KEY.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    dev.lsr.chunklog.LogLayout.of(2, java.time.Instant.parse("2026-03-14T17:30:00Z"))
                            .toJson())));
        }
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            producer.append(FixtureLog.of("01-simple-reply").runId(run).records());
        }
        broker.admin()
                .createPartitions(Map.of(topic, org.apache.kafka.clients.admin.NewPartitions.increaseTo(3)))
                .all()
                .get();
        LogRuns.LogAccess access = new LogRuns.LogAccess(
                Map.of("bootstrap.servers", broker.bootstrapServers()), topic, Duration.ofSeconds(10));
        RunCatalog catalog = new RunCatalog();
        LogFollower follower = new LogFollower(access, catalog).start();
        try {
            await("the catalog read the log to its end")
                    .atMost(Duration.ofSeconds(60))
                    .until(catalog::knowsEveryRun);

            assertTrue(new LogRuns(access::open, catalog).view(run).isPresent(), "the page of " + run);
        } finally {
            follower.close();
        }
    }

    /**
     * Many pages asking for the same run at once (every open tab of a live run, told of a change together, or a
     * crawler) share one replay of it: before, each request the cache could not answer yet opened its own Kafka
     * consumer and read the run's partition from the start, all at once.
     */
    @Test
    void concurrentRequestsForOneRunShareOneReplay(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("viewer-concurrent");
        broker.createTopic(topic, 1);
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            producer.append(FixtureLog.of("05-long-run-with-pings").records());
        }
        LogRuns.LogAccess access = new LogRuns.LogAccess(
                Map.of("bootstrap.servers", broker.bootstrapServers()), topic, Duration.ofSeconds(10));
        RunCatalog catalog = new RunCatalog();
        AtomicInteger replays = new AtomicInteger();
        java.util.concurrent.CountDownLatch opened = new java.util.concurrent.CountDownLatch(1);
        LogRuns runs = new LogRuns(
                () -> {
                    replays.incrementAndGet();
                    try {
                        // the first replay takes its time: the other requests come while it reads
                        opened.await(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return access.open();
                },
                catalog);
        LogFollower follower = new LogFollower(access, catalog).start();
        String run = FixtureLog.originalRunId("05-long-run-with-pings");
        try (java.util.concurrent.ExecutorService pages =
                java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            await("the catalog read the log to its end")
                    .atMost(Duration.ofSeconds(60))
                    .until(catalog::knowsEveryRun);

            java.util.List<java.util.concurrent.Future<Boolean>> views = new java.util.ArrayList<>();
            for (int page = 0; page < 20; page++) {
                views.add(pages.submit(() -> runs.view(run).isPresent()));
            }
            for (java.util.concurrent.Future<Boolean> view : views) {
                assertTrue(view.get(60, java.util.concurrent.TimeUnit.SECONDS), "every page gets the run");
            }
            assertEquals(1, replays.get(), "one replay for all of them");
        } finally {
            follower.close();
        }
    }

    /**
     * Requests for many different runs at once (a crawler following every link of the runs page) replay at most
     * {@link LogRuns#CONCURRENT_BUILDS} runs at a time: before, each opened its own Kafka consumer at once, with
     * no bound.
     */
    @Test
    void requestsForManyRunsAtOnceReplayABoundedNumberAtATime(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("viewer-crawler");
        broker.createTopic(topic, 2);
        int runCount = 12;
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            for (int i = 0; i < runCount; i++) {
                producer.append(FixtureLog.of("01-simple-reply")
                        .runId("run-crawled-" + i)
                        .records());
            }
        }
        LogRuns.LogAccess access = new LogRuns.LogAccess(
                Map.of("bootstrap.servers", broker.bootstrapServers()), topic, Duration.ofSeconds(10));
        RunCatalog catalog = new RunCatalog();
        AtomicInteger opening = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        LogRuns runs = new LogRuns(
                () -> {
                    mostAtOnce.accumulateAndGet(opening.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(300); // a replay takes its time: the other requests come meanwhile
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        opening.decrementAndGet();
                    }
                    return access.open();
                },
                catalog);
        LogFollower follower = new LogFollower(access, catalog).start();
        try (java.util.concurrent.ExecutorService pages =
                java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            await("the catalog read the log to its end")
                    .atMost(Duration.ofSeconds(60))
                    .until(catalog::knowsEveryRun);

            java.util.List<java.util.concurrent.Future<Boolean>> views = new java.util.ArrayList<>();
            for (int i = 0; i < runCount; i++) {
                String run = "run-crawled-" + i;
                views.add(pages.submit(() -> runs.view(run).isPresent()));
            }
            for (java.util.concurrent.Future<Boolean> view : views) {
                assertTrue(view.get(60, java.util.concurrent.TimeUnit.SECONDS), "every page gets its run");
            }
            assertTrue(
                    mostAtOnce.get() <= LogRuns.CONCURRENT_BUILDS,
                    "replays at once: " + mostAtOnce.get() + " of " + runCount);
        } finally {
            follower.close();
        }
    }
}
