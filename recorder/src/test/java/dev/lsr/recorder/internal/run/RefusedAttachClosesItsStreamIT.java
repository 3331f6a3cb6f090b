package dev.lsr.recorder.internal.run;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.RealKafka;
import dev.lsr.recorder.log.KafkaRunLog;
import dev.lsr.recorder.log.RunLog;
import dev.lsr.recorder.log.RunLogClosedException;
import dev.lsr.recorder.log.RunLogConfig;
import dev.lsr.recorder.testing.LettaOverHttp;
import dev.lsr.recorder.testing.SessionHarness;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A run's stream is opened before its attach record is appended. When the log refuses that record (closed,
 * fenced, or its partition lost to another fleet member) the session ends with the log's exception, and the
 * stream it opened must not outlive it: a stream left open kept Letta streaming the run to nobody, and OkHttp
 * later pooled its connection as idle with the stream's bytes still arriving, so a request of another run
 * read them as its status line ("Unexpected status line: F8", seen in the fleet soak).
 */
@RealKafka
class RefusedAttachClosesItsStreamIT {

    private final SessionHarness harness = new SessionHarness();
    private final CountDownLatch streamOpened = new CountDownLatch(1);
    private final CountDownLatch clientWentAway = new CountDownLatch(1);
    private final CountDownLatch testOver = new CountDownLatch(1);
    private final LettaOverHttp letta;

    RefusedAttachClosesItsStreamIT() throws IOException {
        letta = new LettaOverHttp(this::streamPingsUntilTheClientGoes, Duration.ofMinutes(1));
    }

    @AfterEach
    void close() {
        testOver.countDown();
        letta.close();
        harness.close();
    }

    @Test
    void aLogThatRefusesTheAttachRecordLeavesNoStreamOpen(KafkaBroker broker) throws Exception {
        RunLog runLog = KafkaRunLog.create(RunLogConfig.builder(broker.bootstrapServers())
                .chunkTopic("refused-attach")
                .partitions(1)
                .replicationFactor((short) 1)
                .build());
        runLog.start();
        runLog.close();
        SessionContext overHttp = harness.context(letta.api(), runLog::append);

        assertThrows(
                RunLogClosedException.class,
                () -> RunSession.fresh(overHttp, "run-refused", null, "attach").drain());

        assertTrue(streamOpened.await(10, TimeUnit.SECONDS), "the session opened the run's stream first");
        assertTrue(
                clientWentAway.await(10, TimeUnit.SECONDS),
                "the stream of the refused attach is still open: the server kept streaming to nobody");
    }

    /** {@code POST /v1/runs/{id}/stream}: an event stream of pings, every 20 ms, until a write fails. */
    private void streamPingsUntilTheClientGoes(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        streamOpened.countDown();
        byte[] ping = "data: {\"message_type\":\"ping\"}\n\n".getBytes(UTF_8);
        try (OutputStream out = exchange.getResponseBody()) {
            while (!testOver.await(20, TimeUnit.MILLISECONDS)) {
                out.write(ping);
                out.flush();
            }
        } catch (IOException e) {
            clientWentAway.countDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
