package dev.lsr.viewer.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.consumer.kafka.KafkaUnavailableException;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kernel.http.WriteDeadline;
import dev.lsr.viewer.model.RunCatalog;
import dev.lsr.viewer.model.RunView;
import dev.lsr.viewer.testing.Replays;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The routes over a JDK HttpServer, with a run whose text tries to inject markup and carries a key. */
class ViewerHandlerTest {

    static final String RUN = "run-hostile";
    static final String INJECTION = "<img src=x onerror=alert(1)>";
    static final String KEY = "sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAA";

    HttpServer server;
    EventStream events;
    HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void serve() throws IOException {
        List<ChunkLogRecord> records = hostileRun();
        RunCatalog catalog = Replays.replay(records, new RunCatalog());
        RunView view = Replays.view(records);
        events = new EventStream(catalog, WriteDeadline.DEFAULT_LIMIT);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext(
                "/", new ViewerHandler(catalog, id -> id.equals(RUN) ? Optional.of(view) : Optional.empty(), events));
        server.start();
    }

    @AfterEach
    void stop() {
        events.close();
        server.stop(0);
    }

    /** Fixture 01 with its first text delta replaced by markup and an API key. */
    private static List<ChunkLogRecord> hostileRun() {
        List<ChunkLogRecord> records = new ArrayList<>();
        boolean replaced = false;
        for (ChunkLogRecord record :
                FixtureLog.of("01-simple-reply").runId(RUN).agent("agent-<b>").records()) {
            String text = record.valueText();
            if (!replaced && text.contains("\"assistant_message\"")) {
                text = text.replaceFirst("\"content\":\"", "\"content\":\"" + INJECTION + " " + KEY + " ");
                replaced = true;
            }
            records.add(new ChunkLogRecord(record.envelope(), text.getBytes(StandardCharsets.UTF_8)));
        }
        assertTrue(replaced);
        return records;
    }

    @Test
    void pagesEscapeWhatTheLogSaysAndMaskKeys() throws Exception {
        for (String path : List.of("/", "/?fragment=1", "/runs/" + RUN, "/runs/" + RUN + "?fragment=1")) {
            HttpResponse<String> page = get(path);

            assertEquals(200, page.statusCode(), path);
            assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"), path);
            assertFalse(page.body().contains(INJECTION), path);
            assertFalse(page.body().contains("agent-<b>"), path);
            assertFalse(page.body().contains("AAAAAAAAAAAAAAAAAAAA"), path);
            assertTrue(page.body().contains("agent-&lt;b&gt;"), path);
        }
        assertTrue(get("/runs/" + RUN).body().contains("&lt;img src=x onerror=alert(1)&gt; sk-ant-[redacted]"));
    }

    @Test
    void unknownRunsAndPagesAre404BadTimes400OtherMethods405() throws Exception {
        assertEquals(404, get("/runs/run-nope").statusCode());
        assertEquals(404, get("/nothing-here").statusCode());
        assertEquals(400, get("/?since=yesterday-ish").statusCode());
        assertEquals(
                405,
                client.send(
                                HttpRequest.newBuilder(uri("/"))
                                        .POST(HttpRequest.BodyPublishers.noBody())
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode());
    }

    @Test
    void filtersAndAssetsAnswer() throws Exception {
        assertTrue(get("/?agent=agent-%3Cb%3E&since=2026-03-14").body().contains("data-run-id=\"" + RUN + "\""));
        assertTrue(get("/?since=2026-03-15T00:00").body().contains("No run matches"));
        HttpResponse<String> script = get("/static/viewer.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("Content-Type").orElseThrow().startsWith("text/javascript"));
        assertEquals(200, get("/static/viewer.css").statusCode());
    }

    /**
     * The runs page's live region comes back with the page's own filters: its fragment URL is escaped once for the
     * attribute. Before, twice ({@code &amp;amp;}): the browser asked for {@code ?agent=...&amp;status=...}, which
     * has no status filter, and the first live update showed every run.
     */
    @Test
    void theLiveRegionKeepsThePagesFilters() throws Exception {
        String body = get("/?agent=agent-%3Cb%3E&status=completed&page=1").body();

        assertTrue(
                body.contains("data-fragment=\"/?agent=agent-%3Cb%3E&amp;status=completed&amp;fragment=1\""),
                body.lines().filter(l -> l.contains("data-fragment")).toList().toString());
    }

    /**
     * A HEAD gets the GET's headers, its length among them, and no body. The viewer used to send an empty body for it
     * itself (WriteDeadline.send threw on a HEAD's body), which said no length.
     */
    @Test
    void aHeadGetsTheHeadersOfTheGetAndNoBody() throws Exception {
        for (String path : List.of("/runs/" + RUN, "/runs/run-nope")) {
            HttpResponse<String> got = get(path);
            HttpResponse<String> head = client.send(
                    HttpRequest.newBuilder(uri(path))
                            .method("HEAD", HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(got.statusCode(), head.statusCode(), path);
            assertEquals(
                    String.valueOf(got.body().getBytes(StandardCharsets.UTF_8).length),
                    head.headers().firstValue("Content-Length").orElse(null),
                    path);
            assertEquals(
                    got.headers().firstValue("Content-Type"), head.headers().firstValue("Content-Type"), path);
            assertEquals("", head.body(), path);
        }
    }

    /** No page may be framed by another site (clickjacking), whatever the browser honours of the two headers. */
    @Test
    void noPageMayBeFramed() throws Exception {
        HttpResponse<String> page = get("/runs/" + RUN);

        assertTrue(
                page.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"),
                page.headers().map().toString());
        assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(null));
    }

    /** A run id from a request's path goes into a log line without its control characters (no forged lines). */
    @Test
    void aRunIdIsLoggedWithoutControlCharacters() {
        assertEquals("x?19:00:00.000 ERROR forged", ViewerHandler.printable("x\n19:00:00.000 ERROR forged"));
        assertEquals(201, ViewerHandler.printable("r".repeat(500)).length());
    }

    /** A run page while Kafka cannot be read answers 503 with a page that says so, not a dropped connection. */
    @Test
    void aRunPageWhileKafkaIsGoneAnswers503() throws Exception {
        serving(id -> {
            throw new KafkaUnavailableException(
                    "no record from broker-1.internal:9092 for 10 s", new IOException("timeout"));
        });

        HttpResponse<String> page = get("/runs/run-any");

        assertEquals(503, page.statusCode());
        assertTrue(page.body().contains("Kafka"), page.body());
        assertFalse(page.body().contains("broker-1.internal"), "no broker address on the page: " + page.body());
        assertEquals("5", page.headers().firstValue("Retry-After").orElse(null));
    }

    /** A run page that waited too long for its turn (a crawler reads many runs) answers 503, to try again. */
    @Test
    void aRunPageThatGotNoTurnAnswers503() throws Exception {
        serving(id -> {
            throw new ViewerBusyException("waited 10 s for a turn to read run " + id);
        });

        HttpResponse<String> page = get("/runs/run-any");

        assertEquals(503, page.statusCode());
        assertTrue(page.body().contains("Busy reading other runs"), page.body());
        assertEquals("5", page.headers().firstValue("Retry-After").orElse(null));
    }

    /**
     * A refused request (another method, a page that does not exist) is answered at once and its connection closed
     * soon, however slowly its body comes: the viewer reads no body. Before, the JDK server drained up to 64 KiB of
     * it after the answer, at the client's pace, holding the thread and the connection.
     */
    @Test
    void aRefusedRequestsTricklingBodyIsNotReadToItsEnd() throws Exception {
        for (String request : List.of("POST / HTTP/1.1", "GET /nothing-here HTTP/1.1")) {
            try (Socket socket = new Socket("127.0.0.1", server.getAddress().getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write((request + "\r\nHost: 127.0.0.1\r\nContent-Length: 1000000\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                Thread trickle = Thread.ofVirtual().start(() -> {
                    try {
                        while (true) {
                            out.write(new byte[256]);
                            out.flush();
                            Thread.sleep(50);
                        }
                    } catch (IOException | InterruptedException e) {
                        // the server closed the connection (or the test ended)
                    }
                });
                try {
                    socket.setSoTimeout(3_000);
                    BufferedReader in = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                    String status = in.readLine();
                    assertTrue(
                            status.startsWith(request.startsWith("POST") ? "HTTP/1.1 405 " : "HTTP/1.1 404 "),
                            request + ": " + status);
                    assertTrue(
                            trickle.join(Duration.ofSeconds(10)),
                            request + ": the connection is still open 10 s after the answer, its body being read");
                } finally {
                    trickle.interrupt();
                }
            }
        }
    }

    /** The viewer's routes, over an empty catalog, with run pages from {@code runs}. */
    private void serving(RunSource runs) {
        server.removeContext("/");
        server.createContext("/", new ViewerHandler(new RunCatalog(), runs, events));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }
}
