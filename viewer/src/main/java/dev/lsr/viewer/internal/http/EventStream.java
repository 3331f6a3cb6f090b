package dev.lsr.viewer.internal.http;

import com.sun.net.httpserver.HttpExchange;
import dev.lsr.kernel.http.WriteDeadline;
import dev.lsr.viewer.model.RunCatalog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent events for live pages: a {@code change} event (its data the catalog version then) when any run changed
 * (the runs page), or when the one run asked for changed (a run page), at most a few per second, counted from the
 * version the page shows ({@code seen}); a comment line on
 * silence keeps proxies from closing the stream. Holds the exchange's thread until the client goes or
 * the viewer closes (the server runs handlers on virtual threads). A client that reads nothing while its
 * stream has events for it (its network gone without a FIN, a stuck tab) is let go once a write stayed blocked
 * for the write timeout ({@link WriteDeadline}, the server's: {@code consumer serve --write-timeout}, 60 s by default):
 * the stream ends, its connection is closed; it is logged and counted ({@link ViewerHandler#stalledStreams}: the replay
 * server's {@code lsr_replay_streams_stalled_total}).
 */
public final class EventStream {

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);

    private static final Duration KEEPALIVE = Duration.ofSeconds(15);

    /** The least time between two events to one client: pages refetch on each, so changes are batched. */
    private static final Duration MIN_INTERVAL = Duration.ofMillis(250);

    private final RunCatalog catalog;
    private final Duration writeTimeout;
    private final Duration minInterval;
    private final AtomicLong stalled = new AtomicLong();
    private volatile boolean closed;

    /** @param writeTimeout how long one write may stay blocked (the server's, {@code --write-timeout}) */
    public EventStream(RunCatalog catalog, Duration writeTimeout) {
        this(catalog, writeTimeout, MIN_INTERVAL);
    }

    /** With another write timeout and least time between two events (a test that wants many events fast). */
    EventStream(RunCatalog catalog, Duration writeTimeout, Duration minInterval) {
        this.catalog = catalog;
        this.writeTimeout = writeTimeout;
        this.minInterval = minInterval;
    }

    /**
     * @param shown the catalog version the page shows ({@code /events?seen=N}: the one it was rendered at, or its last
     *     refetch's), or -1: a change after it is signalled at once, so a page whose stream opened late (refused while
     *     the server's streams were all open, cut, or just the time between its render and its connect) fetches what
     *     it missed. A version above the catalog's (a page of an earlier process) counts as the catalog's.
     */
    void stream(HttpExchange exchange, String runId, long shown) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        try (WriteDeadline deadline = WriteDeadline.of(writeTimeout)) {
            deadline.sendResponseHeaders(exchange, 200, 0);
            OutputStream out = exchange.getResponseBody();
            write(deadline, out, "retry: 2000\n: connected\n\n");
            long seen = shown < 0 ? catalog.version() : Math.min(shown, catalog.version());
            while (!closed) {
                long now = catalog.awaitChange(seen, KEEPALIVE);
                if (now == seen) {
                    write(deadline, out, ": keepalive\n\n");
                    continue;
                }
                boolean relevant = runId == null || catalog.changedSince(seen).contains(runId);
                seen = now;
                if (relevant) {
                    write(deadline, out, "event: change\ndata: " + now + "\n\n");
                    // batching, not waiting for a condition: changes that come meanwhile go in the next event
                    TimeUnit.NANOSECONDS.sleep(minInterval.toNanos());
                }
            }
            deadline.write(out::close); // the last chunk too, when the viewer stops
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (WriteDeadline.StalledException e) {
            stalled.incrementAndGet();
            log.warn(
                    "viewer: the live {} client read nothing for {} while its event stream had events for it (gone"
                            + " without closing, or stuck); the stream ends and its connection is closed",
                    runId == null ? "runs page's" : "page of run " + ViewerHandler.printable(runId) + "'s",
                    writeTimeout);
        } catch (IOException e) {
            // the client went away: nothing to do
        }
    }

    private static void write(WriteDeadline deadline, OutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        deadline.write(() -> {
            out.write(bytes);
            out.flush();
        });
    }

    /** How many streams ended because their client read nothing for the write timeout. */
    long stalled() {
        return stalled.get();
    }

    /** The viewer's write timeout: its pages' too ({@link ViewerHandler}). */
    Duration writeTimeout() {
        return writeTimeout;
    }

    /** Ends open streams at their next wake-up. */
    public void close() {
        closed = true;
    }
}
