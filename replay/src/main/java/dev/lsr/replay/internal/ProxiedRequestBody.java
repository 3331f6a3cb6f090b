package dev.lsr.replay.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.lsr.kernel.http.Refusals;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * The client's request body as {@link UpstreamProxy} passes it on, and what becomes of it when the upstream fails
 * first. Passed on streamed as the upstream reads it (held whole, one large POST could exhaust the heap): with its
 * {@code Content-Length} when it has one, chunked when it came chunked (the JDK server's rule: a {@code
 * Transfer-Encoding} of {@code chunked}), else none. Read by a {@link BodyRelay}, never by the handler nor the JDK
 * client's threads: each wait of the JDK client for the next bytes of it is bounded by the upstream timeout, so a
 * client that stops sending its body ends the request then ({@link #stalled()}), and a read blocked on a client that
 * stopped holds the relay's thread, and the JDK client's pull parks one of its virtual threads, no platform thread
 * (before, the handler waited in {@code HttpClient.send} for ever, or, after a 504, in the JDK server's drain of the
 * body, behind the JDK client's read).
 *
 * <p>Answered with the body unread, the connection could not take the client's next request: the JDK server reads up
 * to 64 KiB of it, then closes the connection, and closing a socket with bytes unread resets it, which can take the
 * answer with it (the client is still sending). So before a failure's answer the rest of it (a declared length of at
 * most {@link #READ_UP_TO} bytes, or a chunked one up to that) is read and thrown away for at most {@link
 * Refusals#BODY_TIME}: when it ends the connection stays usable. Else the answer says {@code Connection: close}, and a
 * read of the body still blocked {@link Refusals#BODY_TIME} after it is ended, which closes the connection: the
 * answer always goes out first.
 */
final class ProxiedRequestBody {

    /** The most of a body the upstream did not read that is read before a failure's answer. */
    static final long READ_UP_TO = 4 * 1024 * 1024;

    private final boolean chunked;
    private final long length; // declared; -1 when chunked
    private final BodyRelay relay;

    /**
     * @param readLimit   how long the upstream's read of it may wait for the client's next bytes
     * @param uploadLimit how long its reads may wait for the client in all
     */
    ProxiedRequestBody(HttpExchange exchange, Duration readLimit, Duration uploadLimit) {
        String encoding = exchange.getRequestHeaders().getFirst("Transfer-Encoding");
        this.chunked = "chunked".equalsIgnoreCase(encoding); // the JDK server's own rule for a chunked body
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        this.length = chunked ? -1 : declared == null ? 0 : Long.parseLong(declared.strip()); // the JDK server checked
        this.relay = new BodyRelay(exchange.getRequestBody(), length, readLimit, uploadLimit);
    }

    /** The body for the upstream request. */
    HttpRequest.BodyPublisher publisher() {
        if (chunked) {
            return HttpRequest.BodyPublishers.ofInputStream(relay::stream);
        }
        return length > 0
                ? HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(relay::stream), length)
                : HttpRequest.BodyPublishers.noBody();
    }

    /**
     * Whether the upstream's read of the body waited for the client past the read limit, or its reads past the upload
     * limit in all: the request ended there.
     */
    boolean stalled() {
        return relay.stalled();
    }

    /** Whether the request ended as the upstream's reads had waited for the client for the upload limit in all. */
    boolean overdue() {
        return relay.overdue();
    }

    /** Whether the client's body could not be read to its end (the client hung up mid-body): its doing. */
    boolean abortedByClient() {
        return relay.failed();
    }

    /**
     * How long the upstream has kept the body waiting, in nanoseconds: since its last read of it (or since the request
     * began, for a body it never read, or none); 0 while it waits for the client ({@link BodyRelay#idleNanos}).
     */
    long upstreamIdleNanos() {
        return relay.idleNanos();
    }

    /**
     * After the upstream failed, before the answer: whether the body is read to its end (by the upstream, or now),
     * so that the connection can take the client's next request. When not, the body is let go ({@link #letGo}).
     */
    boolean readToItsEnd() {
        if (length == 0 || relay.ended()) {
            return true;
        }
        boolean ended = length <= READ_UP_TO // a longer one is not read at all
                && !relay.stalled() // nor one the client stopped sending
                && !relay.failed() // nor one it hung up on
                && relay.discardWithin(READ_UP_TO, Refusals.BODY_TIME);
        if (!ended) {
            letGo();
        }
        return ended;
    }

    /**
     * Lets go of the body, before the answer whose closing drains what is left of it: a read of it still blocked {@link
     * Refusals#BODY_TIME} later is ended, closing the connection.
     */
    void letGo() {
        relay.letGo(Refusals.BODY_TIME);
    }
}
