package dev.lsr.recorder.internal.letta;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.recorder.RecorderListener;
import dev.lsr.recorder.Secret;
import dev.lsr.recorder.SendMessage;
import dev.lsr.recorder.testing.ListingOnlyLetta;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LettaReadiness#close} and {@link OutageTrackingLettaApi#close} interrupt the ask in flight, and what they
 * interrupt is the recorder's real OkHttp client ({@link LettaHttpClient}). An ask that is still connecting (a Letta
 * behind a full accept queue, a blackholed address) waits in OkHttp 5's fast-fallback connect on a {@code
 * BlockingQueue}: the interrupt comes out of {@code Call.execute} as a bare, undeclared {@link InterruptedException},
 * which neither {@link OutageTrackingLettaApi#endedByInterrupt} nor the asks' {@code catch}es ({@code IOException},
 * {@code RuntimeException}) see: the ask's virtual thread dies with an uncaught exception, a stack trace on stderr
 * ("Exception in thread "letta-readiness-ask" java.lang.InterruptedException") while the recorder stops. The unit
 * tests of the close fake the interrupt with an {@code InterruptedIOException("interrupted")}.
 */
class ClosingAnAskInItsConnectTest {

    private final List<Socket> queued = new ArrayList<>();
    private final OkHttpClient client = LettaHttpClient.create(Duration.ofSeconds(60));
    private final AtomicReference<Thread> asker = new AtomicReference<>();
    private final AtomicReference<Throwable> ended = new AtomicReference<>();
    private final CountDownLatch askEnded = new CountDownLatch(1);
    private final AtomicLong nanos = new AtomicLong();
    private final LettaCallHealth health = new LettaCallHealth(nanos::get);
    private ServerSocket full;
    private LettaApi letta;

    @BeforeEach
    void lettaThatTakesNoConnection() throws IOException {
        full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        fillTheAcceptQueue(); // it accepts nothing: a connect to it now waits
        OkHttpLettaApi raw = new OkHttpLettaApi(
                client,
                HttpUrl.get("http://127.0.0.1:" + full.getLocalPort() + "/"),
                Secret.of("sk-let-unit"),
                Duration.ofSeconds(60),
                1 << 20);
        letta = watching(raw);
        health.checkServer(ListingOnlyLetta.of(() -> {})); // the start check: Letta answered
    }

    @AfterEach
    void close() throws IOException {
        for (Socket socket : queued) {
            socket.close();
        }
        full.close();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    @Test
    void closingTheReadinessCheckWhileItsAskConnectsEndsTheAskInAnIoException() throws Exception {
        LettaReadiness readiness = new LettaReadiness(
                new OutageTrackingLettaApi(
                        letta, RecorderListener.NONE, Clock.systemUTC(), Duration.ofSeconds(10), () -> false, health),
                health);
        nanos.addAndGet(LettaReadiness.ASK_AFTER.plusSeconds(1).toNanos());

        readiness.failure(); // the outcome is old: asks, in the background
        awaitUntilParked(); // in OkHttp's connect, waiting for the full queue
        readiness.close(); // the recorder stops

        assertTrue(askEnded.await(5, TimeUnit.SECONDS), "the ask ended after close");
        assertInstanceOf(
                IOException.class,
                ended.get(),
                "how the interrupted ask came out of OkHttp (an IOException is endedByInterrupt's; anything else"
                        + " escapes the ask's catches and kills its thread)");
    }

    @Test
    void closingTheOutageTrackerWhileItsProbeConnectsEndsTheProbesAskInAnIoException() throws Exception {
        OutageTrackingLettaApi api = new OutageTrackingLettaApi(
                letta, RecorderListener.NONE, Clock.systemUTC(), Duration.ofSeconds(10), () -> false, health);
        nanos.addAndGet(OutageTrackingLettaApi.ASK_AT_MOST_EVERY.plusSeconds(1).toNanos());

        assertThrows(IOException.class, () -> api.getRun("run-1")); // a run's 500: the probe asks the listing
        awaitUntilParked(); // in OkHttp's connect, waiting for the full queue
        api.close(); // the recorder stops

        assertTrue(askEnded.await(5, TimeUnit.SECONDS), "the probe's ask ended after close");
        assertInstanceOf(
                IOException.class,
                ended.get(),
                "how the interrupted probe's ask came out of OkHttp (an IOException is endedByInterrupt's; anything"
                        + " else escapes the probe's catch and kills its thread)");
    }

    /** {@code raw}'s listing, seen: on which thread, how it ended; a run's Run GET answers 500. */
    private LettaApi watching(OkHttpLettaApi raw) {
        return new LettaApi() {
            @Override
            public void checkServer() throws IOException {
                asker.set(Thread.currentThread());
                try {
                    raw.checkServer();
                } catch (Throwable t) {
                    ended.set(t);
                    throw t;
                } finally {
                    askEnded.countDown();
                }
            }

            @Override
            public Run getRun(String runId) throws IOException {
                throw new LettaHttpException("GET /v1/runs/" + runId, 500, "boom", null, null);
            }

            @Override
            public List<Run> listRuns(RunQuery query) {
                throw new UnsupportedOperationException();
            }

            @Override
            public SseStream streamRun(String runId, long startingAfter) {
                throw new UnsupportedOperationException();
            }

            @Override
            public SseStream streamByOtid(SendMessage message) {
                throw new UnsupportedOperationException();
            }

            @Override
            public SseStream send(SendMessage message) {
                throw new UnsupportedOperationException();
            }
        };
    }

    /** Connects until a connect waits: the accept queue of a server that accepts nothing is full then. */
    private void fillTheAcceptQueue() throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort());
        for (int i = 0; i < 64; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(address, 500);
                queued.add(socket);
            } catch (SocketTimeoutException queueFull) {
                socket.close();
                return;
            }
        }
        throw new AssertionError("the accept queue never filled");
    }

    /** Until the ask's thread waits (parked in OkHttp's connect): a state, polled, no sleep standing in for it. */
    private void awaitUntilParked() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            Thread thread = asker.get();
            if (thread != null
                    && EnumSet.of(Thread.State.WAITING, Thread.State.TIMED_WAITING)
                            .contains(thread.getState())) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the ask never waited in its connect");
    }
}
