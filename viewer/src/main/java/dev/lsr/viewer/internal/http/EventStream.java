package dev.lsr.viewer.internal.http;

import com.sun.net.httpserver.HttpExchange;
import dev.lsr.viewer.model.RunCatalog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Server-sent events for live pages: a {@code change} event when any run changed (the runs page), or
 * when the one run asked for changed (a run page), at most a few per second; a comment line on
 * silence keeps proxies from closing the stream. Holds the exchange's thread until the client goes or
 * the viewer closes (the server runs handlers on virtual threads).
 */
public final class EventStream {

    private static final Duration KEEPALIVE = Duration.ofSeconds(15);

    /** The least time between two events to one client: pages refetch on each, so changes are batched. */
    private static final long MIN_INTERVAL_MS = 250;

    private final RunCatalog catalog;
    private volatile boolean closed;

    public EventStream(RunCatalog catalog) {
        this.catalog = catalog;
    }

    void stream(HttpExchange exchange, String runId) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        write(out, "retry: 2000\n: connected\n\n");
        long seen = catalog.version();
        try {
            while (!closed) {
                long now = catalog.awaitChange(seen, KEEPALIVE);
                if (now == seen) {
                    write(out, ": keepalive\n\n");
                    continue;
                }
                boolean relevant = runId == null || catalog.changedSince(seen).contains(runId);
                seen = now;
                if (relevant) {
                    write(out, "event: change\ndata: " + now + "\n\n");
                    // batching, not waiting for a condition: changes that come meanwhile go in the next event
                    TimeUnit.MILLISECONDS.sleep(MIN_INTERVAL_MS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away: nothing to do
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Ends open streams at their next wake-up. */
    public void close() {
        closed = true;
    }
}
