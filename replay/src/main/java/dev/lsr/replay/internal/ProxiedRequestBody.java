package dev.lsr.replay.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.lsr.kernel.http.ReadDeadline;
import dev.lsr.kernel.http.Refusals;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.util.Locale;

/**
 * The client's request body as {@link UpstreamProxy} passes it on, and what becomes of it when the upstream fails
 * first. Passed on streamed as the upstream reads it (held whole, one large POST could exhaust the heap): with its
 * {@code Content-Length} when it has one, chunked when it came chunked, else none.
 *
 * <p>An upstream that cannot be reached (502) never reads it. Answered with the body unread, the connection could not
 * take the client's next request: the JDK server reads up to 64 KiB of it, then closes the connection, and closing a
 * socket with bytes unread resets it, which can take the answer with it (the client is still sending). So before the
 * answer it is read to its end, up to {@link #READ_UP_TO} bytes for at most {@link Refusals#BODY_TIME}: then the
 * connection stays usable. A body the upstream read in part (a 504, a connection lost) is not: the JDK client's own
 * read of it may still be under way; that one, and a longer or slower one, is answered {@code Connection: close}.
 */
final class ProxiedRequestBody {

    /** The most of a body the upstream never read that is read before a failure's answer. */
    static final long READ_UP_TO = 4 * 1024 * 1024;

    private final HttpExchange exchange;
    private final boolean chunked;
    private final Watched in;

    ProxiedRequestBody(HttpExchange exchange) {
        this.exchange = exchange;
        String encoding = exchange.getRequestHeaders().getFirst("Transfer-Encoding");
        this.chunked = encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
        this.in = new Watched(exchange.getRequestBody(), chunked ? -1 : declaredLength());
    }

    /** The body for the upstream request. */
    HttpRequest.BodyPublisher publisher() {
        if (chunked) {
            return HttpRequest.BodyPublishers.ofInputStream(() -> in);
        }
        long n = declaredLength();
        return n > 0
                ? HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> in), n)
                : HttpRequest.BodyPublishers.noBody();
    }

    /**
     * After the upstream failed, before the answer: whether the body is read to its end (by the upstream, or now, if
     * it read none of it), so that the connection can take the client's next request.
     */
    boolean readToItsEnd() {
        if (in.ended || !chunked && declaredLength() == 0) {
            return true;
        }
        if (in.started) {
            return false; // the JDK client's read may still be under way
        }
        ReadDeadline deadline = ReadDeadline.after(Refusals.BODY_TIME); // a cut one leaves the connection closed
        try {
            byte[] buffer = new byte[8192];
            for (long read = 0; read <= READ_UP_TO; ) {
                int n = in.read(buffer);
                if (n < 0) {
                    return true;
                }
                read += n;
            }
            return false;
        } catch (IOException e) {
            return false;
        } finally {
            deadline.close();
        }
    }

    private long declaredLength() {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        return length == null ? 0 : Long.parseLong(length.strip()); // the JDK server checked it
    }

    /**
     * The request body, telling whether a read started and whether the reads reached its end: a -1, or its declared
     * length (the JDK client may stop there).
     */
    private static final class Watched extends FilterInputStream {
        private final long length;
        private long read; // guarded by this
        volatile boolean started;
        volatile boolean ended;

        Watched(InputStream in, long length) {
            super(in);
            this.length = length;
        }

        @Override
        public int read() throws IOException {
            started = true;
            int b = super.read();
            counted(b < 0 ? -1 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            started = true;
            int n = super.read(b, off, len);
            counted(n);
            return n;
        }

        private synchronized void counted(int n) {
            if (n < 0) {
                ended = true;
            } else {
                read += n;
                ended |= length >= 0 && read >= length;
            }
        }
    }
}
