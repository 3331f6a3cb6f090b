package dev.lsr.viewer.browser;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kernel.http.WriteDeadline;
import dev.lsr.viewer.internal.http.EventStream;
import dev.lsr.viewer.internal.http.ViewerHandler;
import dev.lsr.viewer.model.RunCatalog;
import dev.lsr.viewer.testing.Replays;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A live page whose event stream is refused with 503 (the server's {@code --max-streams} are open) gets live again
 * once the server has room: a browser's {@code EventSource} takes an answer other than 200 as final (it retries only
 * a stream cut after it was opened), so before, the page stayed as loaded, without a word, until reloaded.
 */
class RefusedEventStreamBrowserIT {

    @Test
    void aLivePageWhoseEventStreamWasRefusedTriesAgainAndGoesLive() throws Exception {
        Path chromium = Chromium.binary();
        if (chromium == null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("no Chromium at /usr/bin/chromium: .ci/run installs it");
            }
            Assumptions.abort("no Chromium at /usr/bin/chromium (apt-get install chromium); CI runs this test");
        }
        RunCatalog catalog = Replays.replay(FixtureLog.of("01-simple-reply").records(), new RunCatalog());
        EventStream events = new EventStream(catalog, WriteDeadline.DEFAULT_LIMIT);
        ViewerHandler viewer = new ViewerHandler(catalog, id -> Optional.empty(), events);
        AtomicInteger eventRequests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", viewer).getFilters().add(new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                if (viewer.streams(exchange) && eventRequests.incrementAndGet() <= 2) {
                    try (exchange) { // as the replay server refuses a stream beyond --max-streams
                        byte[] body = "{\"detail\":\"streams open, its limit\"}".getBytes(UTF_8);
                        exchange.getResponseHeaders().set("Retry-After", "1");
                        exchange.getResponseHeaders().set("Content-Type", "application/json");
                        exchange.sendResponseHeaders(503, body.length);
                        exchange.getResponseBody().write(body);
                    }
                    return;
                }
                chain.doFilter(exchange);
            }

            @Override
            public String description() {
                return "the first two event streams refused";
            }
        });
        server.start();
        Path profile = Files.createDirectories(Path.of("target", "chromium")).resolve("profile-" + System.nanoTime());
        try (Chromium browser = Chromium.launch(chromium, profile, 1280, 900)) {
            browser.navigate("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            Awaitility.await("the page's event stream open after two refusals")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> "open"
                            .equals(browser.evaluate("document.body.getAttribute('data-live')")
                                    .asText()));
            assertEquals(3, eventRequests.get(), "event stream requests: two refused, one served");
        } finally {
            events.close();
            server.stop(0);
        }
    }

    /**
     * A page loaded while the server's streams were all open, its first event stream refused, misses the changes made
     * before its stream is served at last, as docs/viewer.md says it does not ("once a stream is served again ... the
     * page fetches its live region at once, so the changes it missed show"): the script refetches only after a
     * reconnect that follows an earlier open ({@code opened}), and the served stream signals changes made after it
     * connected only.
     */
    @Test
    void aPageWhoseFirstEventStreamWasRefusedShowsTheRunsAddedMeanwhile() throws Exception {
        Path chromium = Chromium.binary();
        if (chromium == null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("no Chromium at /usr/bin/chromium: .ci/run installs it");
            }
            Assumptions.abort("no Chromium at /usr/bin/chromium (apt-get install chromium); CI runs this test");
        }
        RunCatalog catalog = Replays.replay(FixtureLog.of("01-simple-reply").records(), new RunCatalog());
        EventStream events = new EventStream(catalog, WriteDeadline.DEFAULT_LIMIT);
        ViewerHandler viewer = new ViewerHandler(catalog, id -> Optional.empty(), events);
        AtomicInteger eventRequests = new AtomicInteger();
        AtomicBoolean room = new AtomicBoolean();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", viewer).getFilters().add(new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                if (viewer.streams(exchange)) {
                    eventRequests.incrementAndGet();
                    if (!room.get()) {
                        try (exchange) { // as the replay server refuses a stream beyond --max-streams
                            byte[] body = "{\"detail\":\"streams open, its limit\"}".getBytes(UTF_8);
                            exchange.getResponseHeaders().set("Retry-After", "1");
                            exchange.getResponseHeaders().set("Content-Type", "application/json");
                            exchange.sendResponseHeaders(503, body.length);
                            exchange.getResponseBody().write(body);
                        }
                        return;
                    }
                }
                chain.doFilter(exchange);
            }

            @Override
            public String description() {
                return "event streams refused until there is room";
            }
        });
        server.start();
        Path profile = Files.createDirectories(Path.of("target", "chromium")).resolve("profile-" + System.nanoTime());
        try (Chromium browser = Chromium.launch(chromium, profile, 1280, 900)) {
            browser.navigate("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            Awaitility.await("the page's first event stream refused")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> eventRequests.get() >= 1);
            Replays.replay(
                    FixtureLog.of("01-simple-reply")
                            .runId("run-added-while-refused")
                            .shiftedBy(Duration.ofDays(1))
                            .records(),
                    catalog);
            room.set(true);
            Awaitility.await("the page's event stream open once there is room")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> "open"
                            .equals(browser.evaluate("document.body.getAttribute('data-live')")
                                    .asText()));
            Awaitility.await("the run added while the page's stream was refused, on the page once it is live")
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> browser.evaluate(
                                    "!!document.querySelector('tr.run[data-run-id=\"run-added-while-refused\"]')")
                            .asBoolean());
        } finally {
            events.close();
            server.stop(0);
        }
    }
}
