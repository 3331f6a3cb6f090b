package dev.lsr.viewer.internal.http;

import static dev.lsr.kernel.http.testing.NeverReadingClient.blockedInAWrite;
import static dev.lsr.kernel.http.testing.NeverReadingClient.closedByServer;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kernel.http.Answers;
import dev.lsr.kernel.http.WriteDeadline;
import dev.lsr.kernel.http.testing.NeverReadingClient;
import dev.lsr.viewer.model.RunCatalog;
import dev.lsr.viewer.model.RunView;
import dev.lsr.viewer.testing.Replays;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A client that asks for a large page (a run with a long transcript) and reads nothing fills the socket buffers; the
 * JDK server has no write timeout, so before, the page's write blocked until TCP gave up (about 15 minutes), holding
 * the handler's thread and connection. The pages and their fragments go out under the viewer's write timeout, as its
 * event streams do.
 */
class StalledPageTest {

    private static final String RUN = "run-long";
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(1);

    @Test
    void aLargePageWhoseClientNeverReadsEndsAfterTheWriteTimeout() throws Exception {
        RunCatalog catalog = new RunCatalog();
        RunView view = Replays.view(longRun());
        EventStream events = new EventStream(catalog, WRITE_TIMEOUT, Duration.ZERO);
        ViewerHandler viewer =
                new ViewerHandler(catalog, id -> id.equals(RUN) ? Optional.of(view) : Optional.empty(), events);
        CountDownLatch answering = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        AtomicReference<Thread> handler = new AtomicReference<>();
        AtomicReference<IOException> thrown = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            handler.set(Thread.currentThread());
            answering.countDown();
            try {
                viewer.handle(exchange);
            } catch (IOException e) {
                thrown.set(e);
                throw e;
            } finally {
                released.countDown();
            }
        });
        server.start();
        long stalledBefore = Answers.stalled();
        try (Socket socket = NeverReadingClient.send(
                server.getAddress().getPort(), "GET /runs/" + RUN + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")) {
            assertTrue(answering.await(10, TimeUnit.SECONDS), "the request reached the handler");
            await("the handler's write blocks: the socket buffers are full")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> released.getCount() == 0 || blockedInAWrite(handler.get()));
            Duration margin = Duration.ofSeconds(10);

            assertTrue(
                    released.await(WRITE_TIMEOUT.plus(margin).toMillis(), TimeUnit.MILLISECONDS),
                    "the handler still writes the page "
                            + WRITE_TIMEOUT.plus(margin).toSeconds()
                            + " s after its write blocked, with a write timeout of "
                            + WRITE_TIMEOUT);
            // not merely ended early (the wait above passes then too): a write blocked, past the write timeout
            assertInstanceOf(WriteDeadline.StalledException.class, thrown.get(), "what the page's writes threw");
            assertEquals(stalledBefore + 1, Answers.stalled(), "stalled answers counted");
            assertTrue(closedByServer(socket), "the server closed the connection");
        } finally {
            events.close();
            server.stop(0);
        }
    }

    /**
     * Fixture 01 with an answer of 16 MB (under Jackson's 20 MB limit for one string): its page is far more than the
     * socket buffers hold.
     */
    private static List<ChunkLogRecord> longRun() {
        List<ChunkLogRecord> records = new ArrayList<>();
        boolean padded = false;
        for (ChunkLogRecord record : FixtureLog.of("01-simple-reply").runId(RUN).records()) {
            String text = record.valueText();
            if (!padded && text.contains("\"assistant_message\"")) {
                text = text.replaceFirst("\"content\":\"", "\"content\":\"" + "x".repeat(16 * 1024 * 1024));
                padded = true;
            }
            records.add(new ChunkLogRecord(record.envelope(), text.getBytes(StandardCharsets.UTF_8)));
        }
        assertTrue(padded);
        return records;
    }
}
