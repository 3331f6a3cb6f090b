package dev.lsr.recorder.internal.letta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
