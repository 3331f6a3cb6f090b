package dev.lsr.recorder.internal.intake;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RunState;
import dev.lsr.recorder.internal.run.AttachGate;
import dev.lsr.recorder.internal.run.SessionContext;
import dev.lsr.recorder.testing.LettaOverHttp;
import dev.lsr.recorder.testing.SessionHarness;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * After a restart every active run attaches again (its stream open, no Run GET before it), at most
 * {@link AttachGate#RESTORE_ATTACHES} at once, over real HTTP, while every run is still drained. The server
 * holds every attach request until the test answers it, and the test answers only once as many are held as
 * the bound allows (or as runs are left to attach): so the bound is reached for sure, and without the gate
 * every run's request would be held at once.
 */
class RestoreAttachBoundTest {

    private static final int RUNS = 4 * AttachGate.RESTORE_ATTACHES + 7;
    private static final long RESTORED_SEQ = 10;

    // a long stall timeout: the open streams send one chunk and then nothing until the test ends
    private final SessionHarness harness =
            new SessionHarness(Duration.ofMinutes(30), Duration.ofMinutes(5), Duration.ofMinutes(1));
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger attachRequests = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger streamsOpened = new AtomicInteger();
    /** One permit per held attach request the test lets the server answer. */
    private final Semaphore answers = new Semaphore(0);

    private final CountDownLatch testOver = new CountDownLatch(1);
    private final LettaOverHttp letta;

    RestoreAttachBoundTest() throws IOException {
        letta = new LettaOverHttp(this::serve, Duration.ofMinutes(5));
    }

    @AfterEach
    void close() {
        testOver.countDown();
        answers.release(10_000);
        harness.stopping.set(true);
        letta.close();
        harness.close();
    }

    @Test
    void restoredRunsAttachAtMostTheBoundAtOnceAndEveryOneIsDrained() throws Exception {
        SessionContext base = harness.context();
        SessionContext overHttp = harness.context(letta.api(), base.appender());
        RunRegistry registry = new RunRegistry(overHttp, runId -> Optional.empty(), failure -> {});
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            String runId = "run-" + i;
            runIds.add(runId);
            registry.restore(Checkpoint.of(
                    runId, Position.ofSeq(RESTORED_SEQ), RunState.ACTIVE, "agent-1", "conv-1", Instant.now()));
        }

        int released = 0;
        while (released < RUNS) {
            int expected = Math.min(AttachGate.RESTORE_ATTACHES, RUNS - streamsOpened.get());
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(2))
                    .until(() -> inFlight.get() == expected || maxInFlight.get() > AttachGate.RESTORE_ATTACHES);
            assertTrue(
                    maxInFlight.get() <= AttachGate.RESTORE_ATTACHES,
                    maxInFlight.get() + " attach requests were in flight at once");
            answers.release(expected);
            released += expected;
            int answeredSoFar = released;
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(2))
                    .until(() -> answered.get() >= answeredSoFar);
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> runIds.stream()
                        .allMatch(runId -> harness.log.chunks(runId).size() == 1));

        assertEquals(RUNS, attachRequests.get(), "one stream open per run, and no Run GET before it");
        assertEquals(AttachGate.RESTORE_ATTACHES, maxInFlight.get(), "attach requests in flight at most");
        for (String runId : runIds) {
            assertEquals(List.of(chunk(runId)), harness.log.chunks(runId), runId);
        }
        registry.awaitStopped(Duration.ofSeconds(30));
    }

    private void serve(HttpExchange exchange) throws IOException {
        String[] path = exchange.getRequestURI().getPath().split("/");
        String runId = path[3];
        boolean stream = path.length > 4 && "stream".equals(path[4]);
        attachRequests.incrementAndGet();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            answers.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        inFlight.decrementAndGet();
        if (stream) {
            streamsOpened.incrementAndGet();
        }
        answered.incrementAndGet();
        if (!stream) {
            respond(exchange, "application/json", runJson(runId));
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(("data: " + chunk(runId) + "\n\n").getBytes(UTF_8));
            body.flush();
            testOver.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the recorder closed the stream at the end of the test
        }
    }

    private static void respond(HttpExchange exchange, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String runJson(String runId) {
        return "{\"id\":\"" + runId + "\",\"status\":\"running\",\"created_at\":\"2026-12-04T12:00:00.000000\","
                + "\"agent_id\":\"agent-1\",\"conversation_id\":\"conv-1\",\"background\":true}";
    }

    private static String chunk(String runId) {
        return "{\"id\":\"message-1\",\"date\":\"2026-12-04T12:00:01+00:00\",\"message_type\":\"assistant_message\","
                + "\"otid\":null,\"seq_id\":" + (RESTORED_SEQ + 1) + ",\"run_id\":\"" + runId
                + "\",\"content\":\"hi\"}";
    }
}
