package dev.lsr.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.recorder.testing.SimFront;
import dev.lsr.sim.LettaSim;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code letta} readiness check while the recorder starts, before it runs: the start check is Letta's listing, so
 * its outcome is the check's first, and before it ends the check says so instead of {@code UP}. Before, the start
 * check's outcome was told to no one: {@code letta} read {@code UP} while the start check still waited for Letta, and
 * after a start check that found Letta answering 500 too.
 */
class StartingLettaReadinessTest {

    private static final String LISTING = "/v1/runs/";
    private static final String JSON = "application/json";

    @Test
    void beforeTheStartCheckEndsLettaIsNotCheckedYetAndThenReadsItsOutcome() throws Exception {
        CountDownLatch checking = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        CountDownLatch kafkaStarting = new CountDownLatch(1);
        CountDownLatch kafkaStarted = new CountDownLatch(1);
        try (LettaSim sim = LettaSim.builder().start();
                SimFront front = new SimFront(
                        sim.baseUrl(),
                        path -> {
                            if (path.equals(LISTING)) {
                                checking.countDown();
                                await(answer); // Letta takes its time with the start check
                            }
                            return null;
                        },
                        path -> {})) {
            RecorderConfig config = RecorderConfig.builder(front.baseUrl())
                    .bootstrapServers("127.0.0.1:1")
                    .build();
            RecorderDaemon daemon = RecorderDaemon.builder(config)
                    .kafka(() -> {
                        kafkaStarting.countDown();
                        await(kafkaStarted); // a slow broker's start
                        throw new IllegalStateException("no Kafka in this test");
                    })
                    .build();
            Thread thread = Thread.ofPlatform().start(daemon);
            try {
                assertTrue(checking.await(10, TimeUnit.SECONDS), "the start check asks Letta");
                assertEquals(
                        Optional.of("GET /v1/runs/ not checked yet"),
                        daemon.lettaFailure(),
                        "while the start check waits for Letta");

                answer.countDown();
                assertTrue(kafkaStarting.await(10, TimeUnit.SECONDS), "Kafka starts after the start check");
                assertEquals(Optional.empty(), daemon.lettaFailure(), "Letta answered the start check");
            } finally {
                answer.countDown();
                kafkaStarted.countDown();
                thread.join(30_000);
            }
        }
    }

    @Test
    void aStartCheckThatFoundAServerErrorIsWhatLettaReads() throws Exception {
        try (LettaSim sim = LettaSim.builder().start();
                SimFront front = new SimFront(
                        sim.baseUrl(),
                        path -> path.equals(LISTING)
                                ? new SimFront.Canned(500, JSON, "{\"detail\":\"Internal Server Error\"}")
                                : null,
                        path -> {})) {
            RecorderConfig config = RecorderConfig.builder(front.baseUrl())
                    .bootstrapServers("127.0.0.1:1")
                    .build();
            RecorderDaemon daemon = RecorderDaemon.builder(config).build();
            daemon.run();

            assertInstanceOf(
                    RecorderFailure.LettaCheckFailed.class, daemon.failure().orElseThrow());
            assertEquals(Optional.of("HTTP 500 on GET /v1/runs/"), daemon.lettaFailure());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("not released within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
