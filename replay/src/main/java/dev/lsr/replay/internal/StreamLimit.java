package dev.lsr.replay.internal;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bound on stream responses open at once ({@code --max-streams}): each holds a thread, a connection (a file
 * descriptor of the process, which its Kafka consumers need too) and, replayed, a live feed; proxied, a connection to
 * the upstream; the viewer's, a live page's event stream. A stream request beyond the bound is answered at once,
 * before its body is read or the upstream is asked: {@code 503}, {@code Retry-After: 1}, a one-line {@code detail};
 * counted, and logged at WARN at most once a minute (with the request's method and path, and how many were refused
 * since the last such line).
 *
 * <p>One count for the whole server; each context it bounds says which of its requests are streams ({@link
 * #filter}): Letta's stream routes ({@link StreamRoutes}), a mounted handler's own ({@link
 * dev.lsr.kernel.http.StreamingHandler}). Every other request (the JSON routes, the pages, {@code /metrics}, the
 * probes) is never refused by it.
 */
final class StreamLimit {

    /** What a refused client is told to wait before it asks again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    /** How often a refusal is logged at most. */
    static final Duration WARN_EVERY = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(StreamLimit.class);

    private final int max;
    private final Duration writeTimeout;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final WarnEvery refusalLines;

    /** @param writeTimeout the server's write timeout, for its refusals ({@link Exchanges#json}) */
    StreamLimit(int max, InstantSource clock, Duration writeTimeout) {
        this.max = max;
        this.refusalLines = new WarnEvery(WARN_EVERY, () -> nanosOf(clock.instant()));
        this.writeTimeout = writeTimeout;
    }

    /** The filter of a context whose requests {@code isStream} says are streams: each of those takes a slot. */
    Filter filter(Predicate<HttpExchange> isStream) {
        return new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                if (!isStream.test(exchange)) {
                    chain.doFilter(exchange);
                    return;
                }
                if (!take()) {
                    refuse(exchange);
                    return;
                }
                try {
                    chain.doFilter(exchange);
                } finally {
                    open.decrementAndGet();
                }
            }

            @Override
            public String description() {
                return "at most " + max + " stream responses open at once";
            }
        };
    }

    /** How many stream responses are open now, replayed, proxied and mounted handlers' ones. */
    int open() {
        return open.get();
    }

    /** How many stream requests were refused. */
    long refused() {
        return refused.get();
    }

    private boolean take() {
        while (true) {
            int now = open.get();
            if (now >= max) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    private void refuse(HttpExchange exchange) throws IOException {
        refused.incrementAndGet();
        logRefusal(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()); // no query
        try (exchange) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(RETRY_AFTER.toSeconds()));
            Exchanges.problem(
                    exchange,
                    HttpProblem.detail(
                            503,
                            "The replay server has " + max + " streams open, its limit; try again in "
                                    + RETRY_AFTER.toSeconds() + " s."),
                    writeTimeout);
        }
    }

    /**
     * Logs a refusal at WARN unless one was logged less than {@link #WARN_EVERY} ago; the next line says how many
     * were refused meanwhile.
     *
     * @return whether it logged
     */
    boolean logRefusal(String call) {
        long refusedSinceWarned = refusalLines.occurred();
        if (refusedSinceWarned == 0) {
            return false;
        }
        LOG.warn(
                "{}: refused with 503, {} stream responses are open, the limit (--max-streams); {} stream"
                        + " request(s) refused since the last such line (logged at most once a minute,"
                        + " counted in lsr_replay_streams_refused_total)",
                call,
                max,
                refusedSinceWarned);
        return true;
    }

    /** {@code instant} in nanoseconds since the epoch (good until 2262), the time {@link WarnEvery} takes. */
    private static long nanosOf(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
