package dev.lsr.recorder.internal.letta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.recorder.RecorderListener;
import dev.lsr.recorder.SendMessage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutageTrackingLettaApiTest {

    private final AtomicInteger outages = new AtomicInteger();
    private final RecorderListener listener = new RecorderListener() {
        @Override
        public void lettaOutageStarted(Throwable cause) {
            outages.incrementAndGet();
        }

        @Override
        public void lettaOutageEnded(Duration outage) {}
    };

    /**
     * A fleet member whose partition is revoked interrupts that partition's sessions; their pending
     * calls then fail with "Closed by interrupt" or OkHttp's "interrupted". That says nothing about
     * Letta: it logged "Letta is unreachable" on every revocation (seen in FleetIT's output).
     */
    @Test
    void aCallEndedByItsOwnInterruptIsNoOutage() {
        for (IOException interrupted :
                List.of(new ClosedByInterruptException(), new InterruptedIOException("interrupted"))) {
            OutageTrackingLettaApi api =
                    new OutageTrackingLettaApi(failingWith(interrupted), listener, Clock.systemUTC());
            assertThrows(IOException.class, () -> api.getRun("run-1"));
        }
        assertEquals(0, outages.get());
    }

    @Test
    void noConnectionOrNoAnswerIsAnOutage() {
        OutageTrackingLettaApi refused = new OutageTrackingLettaApi(
                failingWith(new ConnectException("Connection refused")), listener, Clock.systemUTC());
        assertThrows(IOException.class, () -> refused.getRun("run-1"));
        OutageTrackingLettaApi silent = new OutageTrackingLettaApi(
                failingWith(new SocketTimeoutException("timeout")), listener, Clock.systemUTC());
        assertThrows(IOException.class, () -> silent.getRun("run-1"));
        assertEquals(2, outages.get());
    }

    /**
     * A gateway's 503 and Letta's own "database unavailable" 503 mean Letta cannot serve now (the runs' streams
     * live on in Redis); Letta without Redis, or Cloud refusing a send, answered: no outage.
     */
    @Test
    void aServiceUnavailableIsAnOutageUnlessLettaRefusedForGood() {
        String stream = "POST /v1/runs/run-1/stream";
        assertTrue(OutageTrackingLettaApi.isOutage(
                new LettaHttpException(stream, 503, LettaHttpException.Body.NONE, null)));
        assertTrue(OutageTrackingLettaApi.isOutage(new LettaHttpException(
                stream, 503, "The database is temporarily unavailable. Please try again later.", null, null)));
        assertTrue(OutageTrackingLettaApi.isOutage(new LettaHttpException(stream, 502, null, null, null)));
        assertTrue(OutageTrackingLettaApi.isOutage(new LettaHttpException(stream, 504, null, null, null)));

        assertFalse(OutageTrackingLettaApi.isOutage(new LettaHttpException(
                stream,
                503,
                "Background streaming requires Redis to be running. Please ensure Redis is properly configured.",
                null,
                null)));
        assertFalse(OutageTrackingLettaApi.isOutage(new LettaHttpException(
                "POST /v1/conversations/default/messages",
                503,
                new LettaHttpException.Body(
                        "Service temporarily unavailable", null, LettaHttpException.SHUTTING_DOWN, false, true),
                null)));
        assertFalse(OutageTrackingLettaApi.isOutage(new LettaHttpException(stream, 500, "boom", null, null)));
    }

    private static LettaApi failingWith(IOException failure) {
        return new LettaApi() {
            @Override
            public Run getRun(String runId) throws IOException {
                throw failure;
            }

            @Override
            public List<Run> listRuns(RunQuery query) throws IOException {
                throw failure;
            }

            @Override
            public SseStream streamRun(String runId, long startingAfter) throws IOException {
                throw failure;
            }

            @Override
            public SseStream streamByOtid(SendMessage message) throws IOException {
                throw failure;
            }

            @Override
            public SseStream send(SendMessage message) throws IOException {
                throw failure;
            }
        };
    }
}
