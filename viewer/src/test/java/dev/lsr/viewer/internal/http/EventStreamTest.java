package dev.lsr.viewer.internal.http;

import static dev.lsr.kernel.http.testing.NeverReadingClient.blockedInAWrite;
import static dev.lsr.kernel.http.testing.NeverReadingClient.closedByServer;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kernel.http.testing.NeverReadingClient;
import dev.lsr.viewer.model.RunCatalog;
import dev.lsr.viewer.testing.Replays;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A live page's client that stays connected but reads nothing: once the socket buffers are full, the event stream's
 * write blocks. The JDK server has no write timeout, so before, the write stayed blocked until TCP gave up (for a
 * client that still acknowledges, never), holding the stream's thread and connection.
 */
class EventStreamTest {

    @Test
    void aStreamWhoseClientNeverReadsEndsAfterTheWriteTimeout() throws Exception {
        List<ReplayEvent> read = new ArrayList<>();
        RunCatalog catalog = Replays.replay(FixtureLog.of("01-simple-reply").records(), new RunCatalog());
        Replays.replay(FixtureLog.of("01-simple-reply").records(), read::add);
        ReplayEvent end = read.stream()
                .filter(ReplayEvent.End.class::isInstance)
                .findFirst()
                .orElseThrow();
        Duration writeTimeout = Duration.ofSeconds(2);
        EventStream events = new EventStream(catalog, writeTimeout, Duration.ZERO);
        ViewerHandler viewer = new ViewerHandler(catalog, id -> Optional.empty(), events);
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<Thread> streaming = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            streaming.set(Thread.currentThread());
            try {
                viewer.handle(exchange);
            } finally {
                ended.countDown();
            }
        });
        server.start();
        Thread changes = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                catalog.onEvent(end); // a change event each, enough to fill the socket buffers
            }
        });
        try (Socket socket = eventsWithoutReading(server)) {
            await("the stream's write blocks: the socket buffers are full")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> ended.getCount() == 0 || blockedInAWrite(streaming.get()));
            boolean endedInTime = ended.await(writeTimeout.plusSeconds(15).toSeconds(), TimeUnit.SECONDS);

            assertTrue(
                    endedInTime,
                    "the stream still holds its thread 17 s after its write blocked, with a write timeout of "
                            + writeTimeout);
            assertTrue(closedByServer(socket), "the server closed the connection");
            assertEquals(1, viewer.stalledStreams(), "the stalled stream counted");
        } finally {
            changes.interrupt();
            events.close();
            server.stop(0);
        }
    }

    /**
     * A page's stream asks from the catalog version the page shows ({@code seen=}): a change after it is sent at once,
     * so what changed while the page had no stream (refused, cut, or between its render and its connect) shows. Before,
     * a stream signalled only the changes after it connected.
     */
    @Test
    void aStreamFromAnEarlierVersionSaysAtOnceThatTheCatalogChanged() throws Exception {
        RunCatalog catalog = Replays.replay(FixtureLog.of("01-simple-reply").records(), new RunCatalog());
        long rendered = catalog.version();
        Replays.replay(FixtureLog.of("01-simple-reply").runId("run-added-later").records(), catalog);
        EventStream events = new EventStream(catalog, Duration.ofSeconds(5), Duration.ZERO);
        ViewerHandler viewer = new ViewerHandler(catalog, id -> Optional.empty(), events);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", viewer);
        server.start();
        HttpClient client = HttpClient.newHttpClient();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/events?";
            assertEquals(
                    "event: change", firstEvent(client, base + "seen=" + rendered), "the runs page's, from before");
            assertEquals(
                    "event: change",
                    firstEvent(client, base + "run=run-added-later&seen=" + rendered),
                    "the page of the run that changed since");
            assertEquals(
                    ": keepalive", firstEvent(client, base + "seen=" + catalog.version()), "nothing changed since");
            assertEquals(
                    ": keepalive",
                    firstEvent(client, base + "run=some-other-run&seen=" + rendered),
                    "the page of a run that did not change since");
        } finally {
            client.shutdownNow(); // its streams never end by themselves
            events.close();
            server.stop(0);
        }
    }

    /** The first line after the stream's greeting, or ": keepalive" when none came within 2 s. */
    private static String firstEvent(HttpClient client, String url) throws Exception {
        HttpResponse<Stream<String>> response =
                client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() ->
                    lines.filter(line -> line.startsWith("event:")).findFirst().orElse(""));
            try {
                return first.get(2, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                return ": keepalive";
            }
        }
    }

    /** A request for the runs page's events whose response is never read, on a connection left open. */
    private static Socket eventsWithoutReading(HttpServer server) throws Exception {
        return NeverReadingClient.send(
                server.getAddress().getPort(), "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    }
}
