package dev.lsr.replay;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.lsr.kernel.http.Answers;
import dev.lsr.kernel.http.StreamingHandler;
import dev.lsr.kernel.http.WriteDeadline;
import dev.lsr.replay.internal.AuthFilter;
import dev.lsr.replay.internal.BearerToken;
import dev.lsr.replay.internal.LocalHostFilter;
import dev.lsr.replay.internal.NotServedHandler;
import dev.lsr.replay.internal.ReplayServices;
import dev.lsr.replay.internal.StreamRoutes;
import dev.lsr.replay.internal.UpstreamProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Letta's runs API served from the chunk log, on the JDK's HTTP server (one virtual thread per
 * request): {@code POST /v1/runs/{run_id}/stream} (the recorded frames byte for byte, live runs
 * tailed), {@code GET /v1/runs/} and {@code GET /v1/runs/{run_id}}. Any other {@code /v1/...} route
 * answers 501, or is passed to the real Letta server with {@link Builder#upstream}. Other modules'
 * handlers (the run viewer at {@code /}, {@code /metrics}, {@code /health/*}) are mounted with
 * {@link #mount} / {@link #mountOpen}. See docs/replay-server.md.
 */
public final class ReplayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayServer.class);
    /**
     * A host name: labels of letters, digits, underscores (a Compose service's name) and inner hyphens, separated by
     * dots; a final dot (the absolute form) is dropped.
     */
    private static final Pattern HOST_NAME =
            Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");

    /** How many stream responses may be open at once unless {@link Builder#maxStreams} says otherwise. */
    public static final int DEFAULT_MAX_STREAMS = 1000;

    private final HttpServer server;
    private final ExecutorService executor;
    private final ReplayServices services;
    private final Filter auth;
    /** The streaming handlers mounted: their stalled streams are counted with the server's. */
    private final List<StreamingHandler> streamingHandlers = new CopyOnWriteArrayList<>();

    private ReplayServer(HttpServer server, ExecutorService executor, ReplayServices services, Filter auth) {
        this.server = server;
        this.executor = executor;
        this.services = services;
        this.auth = auth;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port the server listens on (the chosen one when built with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:8284}. */
    public URI baseUrl() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort());
    }

    /**
     * Mounts another module's handler at {@code path} (the JDK server's longest-prefix context match),
     * behind the bearer token when the server has one; without one, behind the check against DNS rebinding
     * (a {@code Host} naming localhost, an IP address, the bind address or an {@link Builder#allowedHost}; no
     * cross-site {@code Origin}). A {@link StreamingHandler}'s streams count against {@link Builder#maxStreams} with
     * the server's own (the run viewer's live event streams), and one beyond is refused as theirs are.
     */
    public ReplayServer mount(String path, HttpHandler handler) {
        mount(path, handler, streamsOf(handler));
        return this;
    }

    /** Mounts behind the authentication, then, with {@code streams} (not null), the bound on open streams. */
    private void mount(String path, HttpHandler handler, Predicate<HttpExchange> streams) {
        HttpContext context = server.createContext(path, handler);
        context.getFilters().add(auth);
        if (streams != null) {
            context.getFilters().add(services.streamLimit(streams));
        }
    }

    /** Mounts a handler that needs no token (health probes); a {@link StreamingHandler}'s streams are bounded too. */
    public ReplayServer mountOpen(String path, HttpHandler handler) {
        HttpContext context = server.createContext(path, handler);
        Predicate<HttpExchange> streams = streamsOf(handler);
        if (streams != null) {
            context.getFilters().add(services.streamLimit(streams));
        }
        return this;
    }

    /**
     * Which requests of {@code handler} are streams: a {@link StreamingHandler}'s say (and its stalled streams are
     * counted with the server's from now on); null, none.
     */
    private Predicate<HttpExchange> streamsOf(HttpHandler handler) {
        if (handler instanceof StreamingHandler streaming) {
            streamingHandlers.add(streaming);
            return streaming::streams;
        }
        return null;
    }

    /** Waits until the log as it was at start is indexed (requests wait for it too); false after the timeout. */
    public boolean awaitIndexed(Duration timeout) throws InterruptedException {
        return services.index().awaitReady(timeout);
    }

    /**
     * Why the server is not ready, or null when it is: a readiness probe's condition. Still indexing the
     * log as it was at start; not following the log while its index retries a failed read (a broker
     * outage: since when, and the error), until it reads again; or stopped following it for good on an
     * error retrying cannot mend (refused credentials or ACLs, an unexpected error).
     */
    public String notReadyReason() {
        return services.index().notReadyReason();
    }

    /** How many runs the index knows. */
    public int indexedRuns() {
        return services.index().runCount();
    }

    /**
     * How many stream responses are open now: {@code POST /v1/runs/{run_id}/stream}, the sends and stream routes
     * proxied to the upstream, and the streams of {@link StreamingHandler}s mounted (the viewer's live pages); at most
     * {@link Builder#maxStreams}.
     */
    public int openStreams() {
        return services.openStreams();
    }

    /** How many stream requests were answered 503 because {@link Builder#maxStreams} streams were open. */
    public long refusedStreams() {
        return services.refusedStreams();
    }

    /**
     * How many stream responses ended because their client read nothing for longer than the write timeout while a
     * write to it was blocked; responses proxied to the upstream (an agent's streamed send) included, and those cut
     * because the upstream sent nothing of their body for the upstream timeout, and the streams of {@link
     * StreamingHandler}s mounted (the viewer's live pages).
     */
    public long stalledStreams() {
        return services.stalledStreams()
                + streamingHandlers.stream()
                        .mapToLong(StreamingHandler::stalledStreams)
                        .sum();
    }

    /**
     * How many whole answers (JSON answers, problems, and the pages of handlers mounted beside them: the viewer's) ended
     * because their client read nothing for longer than the write timeout while a write to it was blocked; the
     * process's count ({@link Answers}), streams not included ({@link #stalledStreams}).
     */
    public long stalledAnswers() {
        return Answers.stalled();
    }

    /** How many times the index started retrying its reads of the log (outages; each logged once). */
    public long indexOutages() {
        return services.index().outages();
    }

    /** How many reads of the log by the index failed and were retried. */
    public long indexFailedReads() {
        return services.index().failedReads();
    }

    /**
     * How many offsets of the log were deleted (retention, {@code deleteRecords}) before the index read
     * them; the runs that lost their first records answer a stream request with 410.
     */
    public long indexOffsetsDeletedUnread() {
        return services.index().offsetsDeletedUnread();
    }

    /**
     * Stops at once: the connections close (the proxy's to the upstream too, and its HTTP client's threads end), live
     * streams end (without their final frame: clients resume elsewhere), and requests still running are interrupted,
     * not waited for (a request proxied to an upstream that never answers held it for ever).
     */
    @Override
    public void close() {
        server.stop(0);
        services.close();
        executor.shutdownNow();
    }

    /** How to build a server; the client properties and topic are required. */
    public static final class Builder {
        private Map<String, Object> clientProperties;
        private String topic;
        private String bindAddress = "127.0.0.1";
        private int port = 8284;
        private BearerToken token;
        private URI upstream;
        private String upstreamKey;
        private Duration keepalive = Duration.ofSeconds(20);
        private Duration writeTimeout = WriteDeadline.DEFAULT_LIMIT;
        private Duration upstreamTimeout = Duration.ofMinutes(5);
        private Duration metadataTimeout = Duration.ofSeconds(10);
        private int readers = 32;
        private int maxStreams = DEFAULT_MAX_STREAMS;
        private final Set<String> allowedHosts = new LinkedHashSet<>();

        private Builder() {}

        /** Kafka client properties (bootstrap servers, security); the server adds the reading ones. */
        public Builder clientProperties(Map<String, Object> properties) {
            this.clientProperties = new HashMap<>(properties);
            return this;
        }

        public Builder topic(String chunkTopic) {
            this.topic = chunkTopic;
            return this;
        }

        public Builder bind(String address) {
            this.bindAddress = address;
            return this;
        }

        /** The port; 0 picks a free one. */
        public Builder port(int listenPort) {
            this.port = listenPort;
            return this;
        }

        /** Requires {@code Authorization: Bearer <key>} on every {@code /v1} route; null for none. */
        public Builder apiKey(String key) {
            this.token = key == null ? null : BearerToken.of(key);
            return this;
        }

        /**
         * One more host name a server without an API key answers for (repeatable): its name behind a proxy or in
         * DNS. Without a key only a {@code Host} naming localhost, an IP address or the bind address is served (a
         * guard against DNS rebinding); a name, not a pattern, without a port (any port is admitted).
         */
        public Builder allowedHost(String name) {
            String host = LocalHostFilter.withoutFinalDot(
                    name == null ? "" : name.strip().toLowerCase(Locale.ROOT));
            if (!HOST_NAME.matcher(host).matches()) {
                throw new IllegalArgumentException("--allowed-host takes a host name without a port or scheme,"
                        + " such as replay.example.com (got '" + (name == null ? "" : name.strip()) + "')");
            }
            allowedHosts.add(host);
            return this;
        }

        /** The Letta server that answers the routes the log cannot; null: they answer 501. */
        public Builder upstream(URI letta) {
            this.upstream = letta;
            return this;
        }

        /**
         * The key sent to the upstream as {@code Authorization: Bearer <key>} in place of the client's; null (the
         * default): the client's own is passed, unless this server asks for a key of its own ({@link #apiKey}),
         * which never leaves for the upstream.
         */
        public Builder upstreamApiKey(String key) {
            if (key != null && key.isBlank()) {
                throw new IllegalArgumentException("the upstream API key is empty");
            }
            if (key != null && key.strip().chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                // the JDK's header check would refuse it on every request, with the key in its message
                throw new IllegalArgumentException("the upstream API key holds a line break, a space, a control"
                        + " character or one outside printable ASCII (a key file of more than one line? a BOM?)");
            }
            this.upstreamKey = key;
            return this;
        }

        /**
         * How long a request passed to the upstream may wait for its response's headers (default 5 minutes: a
         * non-streaming send to an agent answers once its steps are done), past which it is answered 504; and how long
         * its response's body may then go without a byte (a Letta stream sends a ping every 20 s), past which the
         * client's response is cut and the upstream's let go.
         */
        public Builder upstreamTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the upstream timeout must be positive (got " + timeout + ")");
            }
            this.upstreamTimeout = timeout;
            return this;
        }

        /** Silence after which a live stream gets a keepalive ping (Letta: 20 s). */
        public Builder keepalive(Duration interval) {
            this.keepalive = interval;
            return this;
        }

        /**
         * How long a write of one of the server's responses (a stream, a JSON answer, a proxied response) may stay
         * blocked (the client reads nothing while the socket buffers are full) before the response ends and its
         * connection is closed (default 60 s, at most a day: {@link WriteDeadline#checkedLimit}). A mounted handler has
         * its own (the viewer: {@code Viewer.start}'s; the probes and {@code /metrics}: none).
         */
        public Builder writeTimeout(Duration limit) {
            this.writeTimeout = WriteDeadline.checkedLimit(limit, "--write-timeout");
            return this;
        }

        /** How long Kafka metadata calls, and requests waiting for the first indexing, may take. */
        public Builder metadataTimeout(Duration timeout) {
            this.metadataTimeout = timeout;
            return this;
        }

        /**
         * How many stream responses may be open at once (default {@value ReplayServer#DEFAULT_MAX_STREAMS}; {@link
         * #openStreams}): a stream request beyond is answered 503 at once, with {@code Retry-After: 1}, before its body
         * is read or the upstream is asked. Other requests are never refused by it.
         */
        public Builder maxStreams(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("--max-streams must be at least 1 (got " + count + ")");
            }
            this.maxStreams = count;
            return this;
        }

        /** How many Kafka consumers catch-up reads share. */
        public Builder readers(int count) {
            this.readers = count;
            return this;
        }

        /** Starts indexing and listening; requests wait for the first indexing to finish. */
        public ReplayServer start() {
            Objects.requireNonNull(clientProperties, "clientProperties");
            Objects.requireNonNull(topic, "topic");
            HttpHandler fallback = upstream == null
                    ? new NotServedHandler(writeTimeout)
                    : new UpstreamProxy(upstream, token != null, upstreamKey, upstreamTimeout, writeTimeout);
            ReplayServices services = new ReplayServices(
                    clientProperties, topic, metadataTimeout, keepalive, writeTimeout, readers, maxStreams, fallback);
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            HttpServer server;
            try {
                services.start();
                server = HttpServer.create(new InetSocketAddress(bindAddress, port), 1024);
            } catch (IOException e) {
                services.close();
                throw new UncheckedIOException("cannot listen on " + bindAddress + ":" + port, e);
            } catch (RuntimeException e) {
                services.close();
                throw e;
            }
            server.setExecutor(executor);
            Filter auth = token == null
                    ? new LocalHostFilter(bindAddress, allowedHosts, writeTimeout)
                    : new AuthFilter(token, writeTimeout);
            ReplayServer replay = new ReplayServer(server, executor, services, auth);
            replay.mount("/v1/runs", services.runsHandler(), new StreamRoutes());
            replay.mount("/v1/", fallback, upstream == null ? null : new StreamRoutes()); // proxied sends, streams
            server.start();
            LOG.info(
                    "replay server listening on {} (topic {}, at most {} streams open, {}, other /v1 routes: {})",
                    replay.baseUrl(),
                    topic,
                    maxStreams,
                    token == null
                            ? allowedHosts.isEmpty()
                                    ? "no API key"
                                    : "no API key, also answering for " + String.join(", ", allowedHosts)
                            : "API key required",
                    upstream == null ? "501" : "proxied to " + withoutUserInfo(upstream));
            return replay;
        }

        /** {@code uri} for a log line: without a {@code user:password@} part. */
        private static String withoutUserInfo(URI uri) {
            try {
                return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
                        .toString();
            } catch (java.net.URISyntaxException e) {
                return uri.getScheme() + "://" + uri.getHost();
            }
        }
    }
}
