package dev.lsr.replay.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.lsr.kernel.OutageLog;
import dev.lsr.kernel.http.WriteDeadline;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes a route the replay server does not serve to the real Letta server ({@code --upstream URL}),
 * request and response streamed through unchanged but for one header, so a client can use the replay
 * server as its only base URL. The {@code Authorization} the upstream gets: the key given for it
 * ({@code --upstream-api-key-file}) when there is one; else the client's own, which is the client's key
 * for Letta, unless the replay server asks for a key of its own: then the client's {@code Authorization}
 * holds that key, which never leaves for the upstream, and none is sent.
 *
 * <p>An upstream that cannot be reached is answered 502; one that sends no response headers within the upstream
 * timeout, 504 (before, a Letta server that accepted the connection and never answered held the request, and its
 * thread, for ever). Both are logged once per outage ({@link OutageLog}: WARN at the first, INFO when the upstream
 * answers again). A client that reads nothing of the response for the write timeout (a proxied stream it stopped
 * reading) has its response ended and its connection closed, which lets go of the upstream's response too
 * ({@link WriteDeadline}); it is counted with the replay streams that stalled, logged, and thrown on: the stall
 * escaping the handler is what makes the JDK server give back the connection slot of a response of known length cut
 * short (before, the proxy returned normally, and each such stall took a slot for good). A streamed one gives it back
 * as it says {@code Connection: close}, as every proxied response but a short one of a known length does ({@link
 * WriteDeadline#sendResponseHeaders}). A response whose body then sends nothing for the upstream timeout (a Letta
 * stream pings every 20 s) is cut ({@link Exchanges#cut}) and the upstream's let go; counted with them too. The
 * client's request body goes as the upstream reads it ({@link ProxiedRequestBody}), each wait for its next bytes
 * bounded by the upstream timeout too, and all those waits together by the upload limit (the upstream timeout, at
 * least {@link #LEAST_UPLOAD_LIMIT}): a client that stops sending it, or trickles it in, is answered 408, with {@code
 * Connection: close}; one that hangs up mid-body, 400 with {@code Connection: close} (their doing, not an outage: both
 * logged at WARN at most once a minute, together). The upstream timeout bounds each wait of the upstream, never the
 * upload as a whole: for its next read of the body, and for its response headers once it read the body's end (or from
 * the start, for a request without one); a body sent steadily, however long, is passed on, as long as the client's
 * share of its time stays under the upload limit.
 *
 * <p>{@link #close} closes the JDK client: its connections to the upstream and its threads.
 *
 * <p>A request method the JDK client cannot send ({@code CONNECT}) is answered 501, with one WARN line.
 */
public final class UpstreamProxy implements HttpHandler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamProxy.class);

    /** The longest upstream timeout kept; a longer one is taken as this (as good as for ever, and no overflow). */
    private static final Duration LONGEST_TIMEOUT = Duration.ofDays(365);

    /**
     * The least of how long the upstream's reads of a request body may wait for the client in all (the upload limit:
     * the upstream timeout when longer): a client trickling its body, each wait just under the upstream timeout, is
     * answered 408 then, as one that stops sending it.
     */
    private static final Duration LEAST_UPLOAD_LIMIT = Duration.ofMinutes(10);

    private final URI upstream;
    private final HttpClient client;
    private final boolean clientKeyIsOurs;
    private final String upstreamAuthorization;
    private final Duration upstreamTimeout;
    private final Duration uploadLimit;
    private final Duration writeTimeout;
    private final OutageLog failures;
    private final AtomicLong stalledResponses = new AtomicLong();
    private final ExecutorService clientThreads;
    private final WarnEvery clientBodyLines = new WarnEvery(StreamLimit.WARN_EVERY, System::nanoTime);

    /**
     * @param clientKeyIsOurs whether clients send the replay server's own key (it asks for one)
     * @param upstreamKey     the key to send the upstream, or null
     * @param upstreamTimeout how long a request may wait for the upstream's response headers, and its body for its
     *                        next byte, and the upstream for the client's request body's next bytes (at most a
     *                        year: a longer one is taken as a year)
     * @param writeTimeout    how long a write of the response to the client may stay blocked
     */
    public UpstreamProxy(
            URI upstream,
            boolean clientKeyIsOurs,
            String upstreamKey,
            Duration upstreamTimeout,
            Duration writeTimeout) {
        this.clientKeyIsOurs = clientKeyIsOurs;
        this.upstreamTimeout = upstreamTimeout.compareTo(LONGEST_TIMEOUT) > 0 ? LONGEST_TIMEOUT : upstreamTimeout;
        this.uploadLimit =
                this.upstreamTimeout.compareTo(LEAST_UPLOAD_LIMIT) > 0 ? this.upstreamTimeout : LEAST_UPLOAD_LIMIT;
        this.writeTimeout = writeTimeout;
        this.failures = new OutageLog(
                LOG,
                new OutageLog.Wording(
                        "the upstream Letta server",
                        "does not answer",
                        "proxied requests are answered 502 (no connection) or 504 (no response within "
                                + inWords(this.upstreamTimeout) + ")",
                        "answers again"),
                InstantSource.system());
        this.upstreamAuthorization = upstreamKey == null ? null : "Bearer " + upstreamKey.strip();
        if (upstreamAuthorization != null) {
            try {
                HttpRequest.newBuilder().header("Authorization", upstreamAuthorization);
            } catch (IllegalArgumentException e) { // its message holds the key: not kept
                throw new IllegalArgumentException("the upstream API key holds a character a header may not carry");
            }
        }
        String base = upstream.toString();
        this.upstream = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        // virtual threads, as its pull of a client's request body parks for up to the upstream timeout (no platform
        // thread then); pooled, as it hands each buffer of a response to a task (one thread each else)
        this.clientThreads = Executors.newCachedThreadPool(
                Thread.ofVirtual().name("upstream-client-", 0).factory());
        this.client = HttpClient.newBuilder()
                .executor(clientThreads)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (hasDotSegment(exchange.getRequestURI().getRawPath())) {
                Exchanges.problem(
                        exchange,
                        HttpProblem.badRequest("A path with a '.' or '..' segment is not passed to the upstream."),
                        writeTimeout);
                return;
            }
            String raw = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null
                            ? ""
                            : "?" + exchange.getRequestURI().getRawQuery());
            String call =
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath(); // no query
            ProxiedRequestBody body = new ProxiedRequestBody(exchange, upstreamTimeout, uploadLimit);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream + raw));
            try {
                request.method(exchange.getRequestMethod(), body.publisher()); // no timeout of its own: see send
            } catch (IllegalArgumentException e) { // CONNECT; its message holds the method: not kept
                LOG.warn(
                        "{}: a request method the proxy cannot pass to the upstream; answered 501",
                        exchange.getRequestURI().getRawPath());
                Exchanges.problem(
                        exchange,
                        HttpProblem.detail(501, "This request method is not passed to the upstream."),
                        writeTimeout);
                return;
            }
            try {
                ProxiedHeaders.copyRequest(
                        exchange.getRequestHeaders(), request, !clientKeyIsOurs && upstreamAuthorization == null);
            } catch (ProxiedHeaders.UnsendableHeaderException e) {
                LOG.warn("{}: {} (a character a header may not hold); answered 400", call, e.getMessage());
                Exchanges.problem(
                        exchange,
                        HttpProblem.badRequest("The request header " + e.name()
                                + " holds a character that cannot be passed to the upstream."),
                        writeTimeout);
                return;
            }
            if (upstreamAuthorization != null) {
                request.header("Authorization", upstreamAuthorization); // checked in the constructor
            }
            HttpResponse<InputStream> response;
            try {
                response = send(request.build(), body);
                failures.succeeded();
            } catch (IOException e) {
                if (body.stalled()) {
                    stalledBody(exchange, body, call);
                } else if (body.abortedByClient()) {
                    abortedBody(exchange, body, call);
                } else {
                    upstreamFailed(exchange, body, call, e);
                }
                return;
            } catch (InterruptedException e) {
                body.letGo();
                Thread.currentThread().interrupt();
                return;
            }
            ProxiedHeaders.copyResponse(response.headers(), response.statusCode(), exchange);
            // a known length is kept (-1 says "no body" to the JDK server); an unknown one goes out chunked. A
            // response that has no body (a HEAD's, a 204, a 304) goes out as one whatever its Content-Length says
            // (sendResponseHeaders' rule, the JDK client gives no body for it either), a HEAD's and a 304's with the
            // upstream's Content-Length (ProxiedHeaders)
            long length = response.headers().firstValueAsLong("content-length").stream()
                    .map(n -> n == 0 ? -1 : n)
                    .findFirst()
                    .orElse(0);
            try (InputStream in = response.body();
                    SilenceWatch silence = SilenceWatch.of(in, upstreamTimeout);
                    WriteDeadline deadline = WriteDeadline.of(writeTimeout)) {
                // Connection: close unless a short body of a known length
                deadline.sendResponseHeaders(exchange, response.statusCode(), length);
                OutputStream out = exchange.getResponseBody();
                byte[] buffer = new byte[8192];
                int n;
                while ((n = read(silence, buffer)) >= 0) {
                    int read = n;
                    deadline.write(() -> {
                        out.write(buffer, 0, read);
                        out.flush(); // streams (SSE sends) pass through frame by frame
                    });
                }
                body.letGo(); // before the close, which drains what is left of it
                deadline.write(out::close); // a chunked body's last chunk too
            } catch (WriteDeadline.StalledException e) {
                body.letGo();
                stalledResponses.incrementAndGet();
                LOG.warn(
                        "{}: the client read nothing of the upstream's response for {}; the response ends and its"
                                + " connection is closed",
                        call,
                        inWords(writeTimeout));
                throw e; // the JDK server then takes the connection off its count, one of known length too
            } catch (SilentUpstreamException e) {
                body.letGo();
                Exchanges.cut(exchange); // the upstream's response was let go as the read ended
                stalledResponses.incrementAndGet();
                LOG.warn(
                        "{}: the upstream sent nothing of its response for {}; the client's response is cut (its"
                                + " connection closed, so that it can resume) and the upstream's let go",
                        call,
                        inWords(upstreamTimeout));
                throw e; // the JDK server then takes the connection off its count, a cut one of known length too
            } finally {
                body.letGo(); // before the exchange's close, which drains what is left of it
            }
        }
    }

    /**
     * Sends the request and waits for the upstream's response headers, for at most the upstream timeout at a time: the
     * wait counts from the upstream's last read of the body (or from the start, for a body it never read, or none),
     * and never while it waits for the client's next bytes (the body's own read limit bounds that). Not the JDK
     * client's request timeout: that runs through the whole upload, and a body sent steadily for longer was answered
     * 504 and logged as an outage. Past the timeout the exchange is cancelled (its connection closed).
     */
    private HttpResponse<InputStream> send(HttpRequest request, ProxiedRequestBody body)
            throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<InputStream>> answer =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        long timeout = Nanos.of(upstreamTimeout);
        try {
            while (true) {
                long left = timeout - body.upstreamIdleNanos();
                if (left <= 0) {
                    throw new HttpTimeoutException("no response within " + inWords(upstreamTimeout));
                }
                try {
                    return answer.get(left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // the upstream may have read more of the body meanwhile: look again
                }
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (IOException | InterruptedException | RuntimeException e) {
            abandon(answer);
            throw e;
        }
    }

    /**
     * Ends an exchange whose response is not taken: one still under way is cancelled (its connection closed); one whose
     * headers came after all, between the last wait and now, has its body closed, which lets go of its connection (it
     * may be a live stream: left open, it held the connection, and the upstream's stream, for ever).
     */
    private static void abandon(CompletableFuture<HttpResponse<InputStream>> answer) {
        if (answer.cancel(true) || !answer.isDone() || answer.state() != Future.State.SUCCESS) {
            return;
        }
        try {
            answer.resultNow().body().close();
        } catch (IOException e) {
            // closing it was all that was wanted of it
        }
    }

    /**
     * Closes the JDK client at once: its connections to the upstream (kept alive ones too) and its threads; a proxied
     * exchange still under way fails. Called as the replay server closes.
     */
    @Override
    public void close() {
        client.shutdownNow();
        clientThreads.shutdownNow();
    }

    /**
     * One read of the upstream's response body, for at most the upstream timeout ({@link SilenceWatch}: it closes the
     * body, which ends the read and lets go of the upstream's response). A body with no byte for that long is dead: a
     * Letta stream sends a ping every 20 s. Before, nothing bounded this wait: a body gone silent after its headers
     * held the client's request, its thread and the upstream's connection for ever.
     */
    private int read(SilenceWatch silence, byte[] buffer) throws IOException {
        try {
            return silence.read(buffer);
        } catch (IOException e) {
            if (silence.expired()) {
                throw new SilentUpstreamException(upstreamTimeout);
            }
            throw e;
        }
    }

    /** The upstream sent nothing of its response's body for the upstream timeout. */
    private static final class SilentUpstreamException extends IOException {
        private static final long serialVersionUID = 1L;

        SilentUpstreamException(Duration timeout) {
            super("the upstream sent nothing of its response for " + inWords(timeout));
        }
    }

    /**
     * How many proxied responses ended on a stall: a write blocked past the write timeout, or an upstream that sent
     * nothing of the body for the upstream timeout (counted with the replay streams', in {@code
     * lsr_replay_streams_stalled_total}).
     */
    long stalledResponses() {
        return stalledResponses.get();
    }

    /** The upstream did not answer: 502 (no connection, or lost) or 504 (no read of the body, nor answer, in time). */
    private void upstreamFailed(HttpExchange exchange, ProxiedRequestBody body, String call, IOException e)
            throws IOException {
        if (e instanceof HttpTimeoutException && !(e instanceof HttpConnectTimeoutException)) {
            failed(
                    exchange,
                    body,
                    504,
                    "The upstream Letta server did not answer within " + inWords(upstreamTimeout) + ".",
                    call + ": no read of the request body, nor response headers, within " + inWords(upstreamTimeout));
        } else {
            failed(exchange, body, 502, "The upstream Letta server did not answer.", call + ": " + e);
        }
    }

    /**
     * The client sent nothing of its request body for the upstream timeout while it was passed on, or kept its reads
     * waiting for the upload limit in all (a body trickled in): answered 408, with
     * {@code Connection: close}; it is the client's doing, not an outage, so it is logged for itself, at WARN at most
     * once a minute ({@link StreamLimit#WARN_EVERY}).
     */
    private void stalledBody(HttpExchange exchange, ProxiedRequestBody body, String call) throws IOException {
        String what = body.overdue()
                ? "did not send its whole request body within " + inWords(uploadLimit)
                : "sent nothing of its request body for " + inWords(upstreamTimeout);
        logClientBody(call, what, 408);
        body.letGo();
        Exchanges.problem(
                exchange,
                HttpProblem.detail(408, "The client " + what + "; the request was not passed on whole."),
                writeTimeout);
    }

    /**
     * The client hung up before the end of its request body (its read failed, or ended short of its declared length)
     * while it was passed on: its doing, not an outage. Answered 400 with {@code Connection: close} (a client that only
     * shut down its sending side still reads it), logged like a stopped body.
     */
    private void abortedBody(HttpExchange exchange, ProxiedRequestBody body, String call) throws IOException {
        logClientBody(call, "hung up before the end of its request body", 400);
        body.letGo();
        Exchanges.problem(
                exchange,
                HttpProblem.badRequest(
                        "The client hung up before the end of its request body; the request was not passed on whole."),
                writeTimeout);
    }

    /**
     * Logs a request body the client stopped sending or hung up on: WARN at most once a minute ({@link
     * StreamLimit#WARN_EVERY}) for both together, with how many there were since the last such line.
     */
    private void logClientBody(String call, String what, int status) {
        long clientBodies = clientBodyLines.occurred();
        if (clientBodies == 0) {
            return;
        }
        LOG.warn(
                "{}: the client {} while it was passed to the upstream; answered {} and its connection closed ({}"
                        + " such request(s) since the last such line, logged at most once a minute)",
                call,
                what,
                status,
                clientBodies);
    }

    /**
     * Answers a request the upstream did not answer, and logs it once per outage (one line, without secrets). With its
     * body read to its end the connection stays for the client's next request; else the answer says {@code Connection:
     * close} ({@link ProxiedRequestBody#readToItsEnd}).
     */
    private void failed(HttpExchange exchange, ProxiedRequestBody body, int status, String detail, String logged)
            throws IOException {
        failures.failed(logged);
        HttpProblem problem = HttpProblem.detail(status, detail);
        if (body.readToItsEnd()) {
            Exchanges.json(exchange, problem.status(), problem.body(), writeTimeout);
        } else {
            Exchanges.problem(exchange, problem, writeTimeout);
        }
    }

    private static String inWords(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /**
     * Whether the path has a {@code .} or {@code ..} segment once percent-decoded (an encoded {@code /} or
     * {@code \} splits segments too, as some servers decode them): such a path could reach, upstream, a
     * route outside {@code /v1}. A path that does not decode counts as one.
     */
    static boolean hasDotSegment(String rawPath) {
        String decoded;
        try {
            decoded = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return true;
        }
        for (String segment : decoded.split("[/\\\\]", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
