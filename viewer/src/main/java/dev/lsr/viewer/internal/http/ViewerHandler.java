package dev.lsr.viewer.internal.http;

import com.sun.net.httpserver.HttpExchange;
import dev.lsr.consumer.kafka.KafkaUnavailableException;
import dev.lsr.kernel.http.Answers;
import dev.lsr.kernel.http.Refusals;
import dev.lsr.kernel.http.StreamingHandler;
import dev.lsr.viewer.internal.html.Html;
import dev.lsr.viewer.internal.html.Layout;
import dev.lsr.viewer.internal.html.RunPageHtml;
import dev.lsr.viewer.internal.html.RunsPageHtml;
import dev.lsr.viewer.model.RunCatalog;
import dev.lsr.viewer.model.RunQuery;
import dev.lsr.viewer.model.RunView;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The viewer's routes under {@code /}: the runs page ({@code /}), a run ({@code /runs/ID}), the event
 * stream of live pages ({@code /events?seen=N}), the vendored stylesheet and script ({@code /static/...}).
 * {@code ?fragment=1} answers only the live region of a page, which the script swaps in. GET only. A run page
 * while Kafka cannot be read answers 503 with {@code Retry-After}. No request body is read; a refusal's is left
 * unread ({@link Refusals}).
 */
public final class ViewerHandler implements StreamingHandler {

    private static final Map<String, String> STATIC = Map.of(
            "/static/viewer.css", "text/css; charset=utf-8",
            "/static/viewer.js", "text/javascript; charset=utf-8");

    /** The live pages' event stream: the one route whose response is held open. */
    private static final String EVENTS = "/events";

    private static final Logger log = LoggerFactory.getLogger(ViewerHandler.class);
    private static final int RETRY_AFTER_SECONDS = 5;

    private final RunCatalog catalog;
    private final RunSource runs;
    private final EventStream events;
    private final Duration writeTimeout;

    /** Its pages go out under the write timeout of {@code events}: the viewer's one. */
    public ViewerHandler(RunCatalog catalog, RunSource runs, EventStream events) {
        this.catalog = catalog;
        this.runs = runs;
        this.events = events;
        this.writeTimeout = events.writeTimeout();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            Query query = Query.parse(exchange.getRequestURI().getRawQuery());
            if (path.equals("/")) {
                runsPage(exchange, query);
            } else if (path.startsWith("/runs/") && path.length() > "/runs/".length()) {
                runPage(exchange, path.substring("/runs/".length()), query);
            } else if (path.equals(EVENTS)) {
                events.stream(exchange, query.get("run"), seen(query.get("seen")));
            } else if (STATIC.containsKey(path)) {
                asset(exchange, path);
            } else {
                notFound(exchange, "There is no page at this address.");
            }
        }
    }

    /** A live page's event stream ({@code GET /events}): held open as long as the page is. */
    @Override
    public boolean streams(HttpExchange exchange) {
        return "GET".equals(exchange.getRequestMethod())
                && EVENTS.equals(exchange.getRequestURI().getPath());
    }

    /** The live pages' event streams that ended because their client read nothing for the write timeout. */
    @Override
    public long stalledStreams() {
        return events.stalled();
    }

    private void runsPage(HttpExchange exchange, Query query) throws IOException {
        RunQuery runQuery;
        try {
            runQuery = new RunQuery(
                    query.get("agent"),
                    query.get("conversation"),
                    query.get("status"),
                    query.get("stop_reason"),
                    time(query.get("since")),
                    time(query.get("until")),
                    page(query.get("page")),
                    RunQuery.DEFAULT_PAGE_SIZE);
        } catch (IllegalArgumentException e) {
            send(exchange, 400, "text/plain; charset=utf-8", Html.escape(e.getMessage()) + "\n");
            return;
        }
        long version = catalog.version(); // before the query: a change meanwhile is signalled, never missed
        var page = catalog.query(runQuery);
        sendHtml(exchange, query.has("fragment") ? RunsPageHtml.live(page) : RunsPageHtml.page(page, version));
    }

    private void runPage(HttpExchange exchange, String runId, Query query) throws IOException {
        long version = catalog.version(); // before the view: a change meanwhile is signalled, never missed
        Optional<RunView> view;
        try {
            view = runs.view(runId);
        } catch (KafkaUnavailableException e) {
            log.warn("Run {}: the log cannot be read now: {}", printable(runId), e.getMessage());
            tryAgainSoon(
                    exchange,
                    "Log unavailable",
                    "The log cannot be read now",
                    "Kafka did not answer while reading run " + Html.text(runId) + ".");
            return;
        } catch (ViewerBusyException e) {
            log.debug("Run {}: {}", printable(runId), e.getMessage());
            tryAgainSoon(
                    exchange, "Busy", "Busy reading other runs", "Run " + Html.text(runId) + " waits for its turn.");
            return;
        }
        if (view.isEmpty()) {
            notFound(exchange, "The log holds no run " + runId + ".");
            return;
        }
        sendHtml(
                exchange, query.has("fragment") ? RunPageHtml.live(view.get()) : RunPageHtml.page(view.get(), version));
    }

    /** A 503 page with {@code Retry-After}: the run page cannot be answered now ({@code why}: HTML). */
    private void tryAgainSoon(HttpExchange exchange, String title, String heading, String why) throws IOException {
        exchange.getResponseHeaders().set("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        send(
                exchange,
                503,
                "text/html; charset=utf-8",
                Layout.page(
                        title,
                        null,
                        null,
                        "<h1>" + heading + "</h1><p>" + why
                                + " Try again in a moment.</p><p><a href=\"/\">All runs</a></p>"));
    }

    private void asset(HttpExchange exchange, String path) throws IOException {
        try (InputStream in = ViewerHandler.class.getResourceAsStream("/dev/lsr/viewer" + path)) {
            if (in == null) {
                notFound(exchange, "missing asset");
                return;
            }
            exchange.getResponseHeaders().set("Cache-Control", "max-age=300");
            send(exchange, 200, STATIC.get(path), in.readAllBytes());
        }
    }

    private void notFound(HttpExchange exchange, String message) throws IOException {
        send(
                exchange,
                404,
                "text/html; charset=utf-8",
                Layout.page(
                        "Not found",
                        null,
                        null,
                        "<h1>Not found</h1><p>" + Html.text(message) + "</p><p><a href=\"/\">All runs</a></p>"));
    }

    private void sendHtml(HttpExchange exchange, String html) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, 200, "text/html; charset=utf-8", html);
    }

    private void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The answer; a refusal (an error status: the viewer reads no request body) under the rule for refusals, so a
     * body sent into it is not read at the client's pace ({@link Refusals}).
     */
    private void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        if (status >= 400) {
            Refusals.answer(exchange, () -> sendNow(exchange, status, type, body));
        } else {
            sendNow(exchange, status, type, body);
        }
    }

    /**
     * Every page, fragment, asset and error of the viewer goes out here, each write under the write timeout: a client
     * that asked for a large page and read nothing held the handler's thread and connection until TCP gave up (about
     * 15 minutes). A stall is logged, counted and thrown on ({@link Answers}): the JDK server then drops the
     * connection.
     */
    private void sendNow(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders()
                .set(
                        "Content-Security-Policy",
                        "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:;"
                                + " frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
        exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
        Answers.send(exchange, status, body, writeTimeout); // a HEAD's: the headers alone
    }

    /** {@code 2026-03-14T17:00:00Z}, {@code 2026-03-14T17:00} (UTC, as a datetime field sends it) or a date. */
    static Instant time(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        try {
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return java.time.OffsetDateTime.parse(t.length() == 17 ? t.replace("Z", ":00Z") : t)
                        .toInstant();
            }
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a time: " + t + " (use 2026-03-14T17:00:00Z or 2026-03-14)");
        }
    }

    /**
     * The catalog version a live page shows ({@code /events?seen=N}, rendered into the page), or -1 (none, or not a
     * version: the stream then starts at the version it is served at).
     */
    private static long seen(String text) {
        try {
            return text == null ? -1 : Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int page(String text) {
        try {
            return text == null ? 1 : Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /**
     * Text from a request (a run id from the path) as it may go into a log line: control characters (a decoded
     * {@code %0A} would start a forged line) as {@code ?}, at most 200 characters.
     */
    static String printable(String text) {
        StringBuilder shown = new StringBuilder(Math.min(text.length(), 201));
        for (int i = 0; i < text.length() && i < 200; i++) {
            char c = text.charAt(i);
            shown.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return text.length() > 200 ? shown.append('\u2026').toString() : shown.toString();
    }
}
