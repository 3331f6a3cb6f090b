package dev.lsr.replay.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.lsr.kernel.http.ReadDeadline;
import dev.lsr.kernel.http.WriteDeadline;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs API served from the log: {@code GET /v1/runs/} (and {@code /v1/runs}),
 * {@code GET /v1/runs/{run_id}}, {@code POST /v1/runs/{run_id}/stream}. Every other path under
 * {@code /v1/runs} goes to the fallback (501 or the upstream Letta), and so does another method on these
 * routes when the fallback is the upstream (Letta's {@code DELETE /v1/runs/{run_id}}); without one, 405.
 */
public final class RunsHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RunsHandler.class);
    private static final String PREFIX = "/v1/runs";
    private static final int MAX_BODY = 64 * 1024;
    /** How long a stream request's body may take to arrive ({@link #readBody}). */
    static final Duration BODY_TIME = Duration.ofSeconds(10);

    private final RunIndex index;
    private final RunStreamer streamer;
    private final HttpHandler fallback;
    private final Duration readyTimeout;
    private final Duration writeTimeout;
    private final AtomicLong stalledStreams = new AtomicLong();

    RunsHandler(
            RunIndex index, RunStreamer streamer, HttpHandler fallback, Duration readyTimeout, Duration writeTimeout) {
        this.index = index;
        this.streamer = streamer;
        this.fallback = fallback;
        this.readyTimeout = readyTimeout;
        this.writeTimeout = writeTimeout;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (HttpProblem problem) {
                Exchanges.problem(exchange, problem, writeTimeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException, InterruptedException {
        String path = exchange.getRequestURI().getPath();
        String rest = path.length() > PREFIX.length() ? path.substring(PREFIX.length() + 1) : "";
        String method = exchange.getRequestMethod();
        if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/")) {
            fallback.handle(exchange);
            return;
        }
        String allowed;
        if (rest.isEmpty() || !rest.contains("/") && !rest.equals("active")) {
            allowed = "GET";
        } else if (rest.endsWith("/stream") && rest.indexOf('/') == rest.length() - "/stream".length()) {
            allowed = "POST";
        } else {
            allowed = null;
        }
        if (allowed != null && !allowed.equals(method)) {
            if (fallback instanceof UpstreamProxy) {
                fallback.handle(exchange); // Letta's route for it (DELETE /v1/runs/{run_id}, ...)
                return;
            }
            throw HttpProblem.detail(405, "Method Not Allowed");
        }
        if (rest.isEmpty()) {
            list(exchange);
        } else if ("GET".equals(allowed)) {
            awaitIndex();
            Exchanges.json(exchange, 200, Json.write(RunJson.of(find(rest))), writeTimeout);
        } else if (allowed != null) {
            stream(exchange, rest.substring(0, rest.indexOf('/')));
        } else {
            fallback.handle(exchange);
        }
    }

    private void list(HttpExchange exchange) throws IOException, InterruptedException {
        RunsQuery query = RunsQuery.parse(Exchanges.query(exchange));
        awaitIndex();
        Exchanges.json(exchange, 200, RunJson.list(query.apply(index.all(), index::find)), writeTimeout);
    }

    private void stream(HttpExchange exchange, String runId) throws IOException, InterruptedException {
        StreamRequest request = StreamRequest.parse(readBody(exchange));
        awaitIndex();
        IndexedRun.Snapshot run = find(runId);
        if (Boolean.FALSE.equals(run.background())) {
            throw HttpProblem.badRequest("Run was not created in background mode, so it cannot be retrieved.");
        }
        long readFrom = streamer.readableFrom(run, request);
        try (SseBody body = new SseBody(exchange, writeTimeout)) {
            streamer.stream(run, request, readFrom, body);
        } catch (WriteDeadline.StalledException e) {
            stalledStreams.incrementAndGet();
            LOG.warn(
                    "run {}: its client read nothing for {} while the stream had frames for it (gone without"
                            + " closing, or stuck); the stream ends and its connection is closed",
                    runId,
                    writeTimeout);
        } catch (IOException e) {
            LOG.debug("run {}: stream ended early: {}", runId, e.toString());
        }
    }

    /** How many stream responses ended on a write blocked past the write timeout. */
    long stalledStreams() {
        return stalledStreams.get();
    }

    private IndexedRun.Snapshot find(String runId) {
        Optional<IndexedRun.Snapshot> run = index.find(runId);
        return run.orElseThrow(() -> HttpProblem.notFound("Run " + runId + " not found"));
    }

    private void awaitIndex() throws InterruptedException {
        if (!index.awaitReady(readyTimeout)) {
            throw HttpProblem.detail(503, "The replay server is still indexing the log; try again shortly.");
        }
    }

    /**
     * Reads the stream request's body, for at most {@link #BODY_TIME}: a body trickling in (a few bytes now and then)
     * held the handler thread and the connection until it reached {@link #MAX_BODY}. Past the time the read is
     * interrupted, which closes the connection.
     */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        ReadDeadline deadline = ReadDeadline.after(BODY_TIME);
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw HttpProblem.invalid("body", null, "too_long", "Request body too large", null);
            }
            return body;
        } finally {
            deadline.close();
        }
    }
}
