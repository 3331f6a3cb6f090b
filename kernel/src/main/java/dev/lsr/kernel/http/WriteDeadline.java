package dev.lsr.kernel.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds how long the calling (handler) thread may stay blocked in one write of its response: the JDK server has no
 * write timeout, so a write to a client that reads nothing (its network gone without a FIN, a stuck reader) blocks
 * once the socket buffers are full, until TCP gives up (about 15 minutes). A watchdog (a virtual thread, one per
 * response) interrupts a write blocked past the limit: in a handler the connection's channel is in blocking mode and
 * interruptible, so the write fails ({@code ClosedByInterruptException}) and the channel is closed; the server then
 * drops the connection. A write the watchdog fired on fails with {@link StalledException} even if it completed just
 * then, and so does every later one: a stalled response never ends as if complete. Once the stall is thrown the
 * interrupt is cleared (the watchdog fires only during a write, so it is never left for later): else the handler's
 * logging and closing of the exchange would run interrupted (a log file's channel closed by it, for one).
 *
 * <p>The limit bounds one write: a client that reads slowly but steadily must be able to take in each within it. So
 * a body goes out through {@link #write(OutputStream, byte[])}, which writes at most {@link #SLICE} bytes at a time.
 * The response's headers go through {@link #sendResponseHeaders}, which says {@code Connection: close} (but for a
 * short body); other writes (a flush, a close) through {@link #write(Write)}, each of at most a few buffers; {@link
 * #close} stops the watchdog. A whole answer (a JSON answer, a page) goes through {@link #send}.
 */
public final class WriteDeadline implements AutoCloseable {

    /**
     * The limit of the project's servers unless told otherwise (every response of the replay server and of the
     * viewer): a client that read nothing for a minute while a write to it waited.
     */
    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(60);

    /**
     * The longest limit taken ({@link #checkedLimit}): a day is already a write watched by nothing useful, and one of
     * centuries overflowed the watchdog's arithmetic ({@code toNanos}), which died, leaving every write unwatched.
     */
    private static final Duration MAX_LIMIT = Duration.ofDays(1);

    /** One write to the response. */
    @FunctionalInterface
    public interface Write {
        void run() throws IOException;
    }

    /** A write blocked past the limit: the client read nothing for that long; the connection is closed. */
    public static final class StalledException extends IOException {
        private static final long serialVersionUID = 1L;

        StalledException(Duration limit, Throwable cause) {
            super("a write to the client stayed blocked for more than " + limit, cause);
        }
    }

    /**
     * The most bytes {@link #write(OutputStream, byte[])} hands the stream in one write: a client that reads a few
     * hundred bytes a second is not taken for one that reads nothing, however large the frame.
     */
    public static final int SLICE = 16 * 1024;

    /**
     * The longest body of a known length whose response keeps its connection alive ({@link #sendResponseHeaders}): the
     * SDK's JSON calls and the pages, so a client's next request reuses its connection. A longer one, and every
     * streamed one, says {@code Connection: close}. Not because a short one cannot stall: over a real network (not
     * loopback) the socket buffers may take less than this. A short one that stalls gives its slot back as any of
     * known length does: by its stall escaping the handler ({@link #send}).
     */
    private static final long KEPT_ALIVE_UP_TO = 64 * 1024;

    private final Thread writer = Thread.currentThread();
    private final Duration limit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean writing; // guarded by lock
    private long writingSince; // guarded by lock
    private boolean expired; // guarded by lock
    private boolean closed; // guarded by lock
    /** Whether the watchdog waits for a write to start (else for a write's deadline): only then is it woken. */
    private boolean idle; // guarded by lock

    private WriteDeadline(Duration limit) {
        this.limit = limit;
        Thread.ofVirtual().name("write-deadline").start(this::watch);
    }

    /**
     * Watches the writes the calling thread makes through {@link #write}.
     *
     * @throws IllegalArgumentException for a limit {@link #checkedLimit} refuses
     */
    public static WriteDeadline of(Duration limit) {
        return new WriteDeadline(checkedLimit(limit, "the write timeout"));
    }

    /**
     * {@code limit} if it can be a write timeout: positive and at most a day. The one rule for a write timeout: a
     * server checks its own with it when configured, so a bad one is refused before anything is served.
     *
     * @param name what the limit is called where it was given ({@code --write-timeout}), for the message
     * @throws IllegalArgumentException "NAME must be positive and at most PT24H (got ...)"
     */
    public static Duration checkedLimit(Duration limit, String name) {
        if (limit == null || limit.isNegative() || limit.isZero() || limit.compareTo(MAX_LIMIT) > 0) {
            throw new IllegalArgumentException(
                    name + " must be positive and at most " + MAX_LIMIT + " (got " + limit + ")");
        }
        return limit;
    }

    /**
     * Sends a whole answer: {@code status}, the headers set on the exchange, and {@code body} (none when empty), each
     * write under {@code limit}; closes the response body. The helper the servers' JSON answers and pages go through.
     * A response that has no body ({@link #bodiless}: a HEAD's, a 204, a 304) gets none: a HEAD's says the length of
     * {@code body} in its {@code Content-Length}, as the GET's answer would.
     *
     * @throws StalledException as {@link #write(Write)}: the handler lets it go, and the JDK server then drops the
     *     connection (a response of known length cut short is taken off its count only that way)
     */
    public static void send(HttpExchange exchange, int status, byte[] body, Duration limit) throws IOException {
        boolean bodiless = bodiless(exchange, status);
        if (isHead(exchange) && body.length > 0) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
        }
        try (WriteDeadline deadline = of(limit)) {
            deadline.sendResponseHeaders(exchange, status, body.length == 0 ? -1 : body.length);
            OutputStream out = exchange.getResponseBody();
            if (!bodiless) {
                deadline.write(out, body);
            }
            deadline.write(out::close);
        }
    }

    /**
     * Sends the response's headers ({@link HttpExchange#sendResponseHeaders}) as one write, with {@code Connection:
     * close} unless the response is no body or one of a known length up to {@link #KEPT_ALIVE_UP_TO}. A response that
     * has no body ({@link #bodiless}) is sent as one (length -1) whatever {@code length} says: the JDK server then
     * sends no {@code Content-Length} of its own (nor logs a WARNING) and ends the response at once.
     *
     * <p>The JDK server (up to 25 at least) takes a connection off the count {@code jdk.httpserver.maxConnections}
     * bounds at its response's end only when that end closes it ({@code Connection: close}), or when an exception
     * escapes the handler before the end. A stalled response, its channel closed by the interrupt, ends in one of two
     * ways. A streamed (chunked) one still ends when its body is closed: without {@code Connection: close} the server
     * puts the connection back to wait for the next request, which fails on the closed channel, and that path closes
     * it without taking it off the count; so each stall took a slot for good, and past that many every new connection
     * was refused. One of a known length cut short never ends (its close throws, unseen): only the {@link
     * StalledException} escaping the handler frees its slot, whatever its {@code Connection} header says. So a handler
     * that catches the stall (to log it) throws it on.
     *
     * @param length as {@link HttpExchange#sendResponseHeaders}: 0 a streamed (chunked) body, -1 none
     */
    public void sendResponseHeaders(HttpExchange exchange, int status, long length) throws IOException {
        long sent = bodiless(exchange, status) ? -1 : length;
        if (sent == 0 || sent > KEPT_ALIVE_UP_TO) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
        write(() -> exchange.sendResponseHeaders(status, sent));
    }

    /**
     * Whether the response has no body, whatever the handler has for it: a HEAD's (RFC 9110 9.3.2), a 1xx, 204 or 304
     * (RFC 9110 6.4.1). The JDK server closes such a body in {@code sendResponseHeaders}: a write to it then fails
     * ("stream closed"), and a length given for it is logged as a WARNING.
     */
    private static boolean bodiless(HttpExchange exchange, int status) {
        return isHead(exchange) || status < 200 || status == 204 || status == 304;
    }

    private static boolean isHead(HttpExchange exchange) {
        return "HEAD".equals(exchange.getRequestMethod()); // as the JDK server: a method is case-sensitive
    }

    /**
     * Writes {@code bytes} to {@code out} in slices of at most {@link #SLICE}, each a write of its own: the limit is
     * then the time the client may take to read one slice (and what {@code out} buffered), not the whole. Before, a
     * frame of a megabyte went in one write (a {@code BufferedOutputStream} passes a large one through), so a client
     * reading it steadily at less than 1 MB per limit was ended as one that read nothing, and again at that frame on
     * every resume.
     *
     * @throws StalledException as {@link #write(Write)}
     */
    public void write(OutputStream out, byte[] bytes) throws IOException {
        for (int from = 0; from < bytes.length; from += SLICE) {
            int start = from;
            write(() -> out.write(bytes, start, Math.min(SLICE, bytes.length - start)));
        }
    }

    /**
     * Runs one write (of the calling thread, the one that made this deadline).
     *
     * @throws StalledException when it stayed blocked past the limit (or one before did)
     */
    public void write(Write write) throws IOException {
        lock.lock();
        try {
            if (expired) {
                throw new StalledException(limit, null);
            }
            writing = true;
            writingSince = System.nanoTime();
            if (idle) {
                changed.signalAll(); // else it wakes at the last write's deadline and sees this one
            }
        } finally {
            lock.unlock();
        }
        IOException failure = null;
        try {
            write.run();
        } catch (IOException e) {
            failure = e;
        } finally {
            lock.lock();
            try {
                writing = false;
                if (expired) {
                    Thread.interrupted(); // the watchdog's, and its work is done: the stall is thrown now
                    failure = new StalledException(limit, failure);
                }
            } finally {
                lock.unlock();
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Whether a write stayed blocked past the limit. */
    public boolean expired() {
        lock.lock();
        try {
            return expired;
        } finally {
            lock.unlock();
        }
    }

    private void watch() {
        lock.lock();
        try {
            while (!closed) {
                if (!writing) {
                    idle = true;
                    changed.await();
                    idle = false;
                    continue;
                }
                long left = writingSince + limit.toNanos() - System.nanoTime();
                if (left > 0) {
                    changed.await(left, TimeUnit.NANOSECONDS);
                    continue;
                }
                expired = true;
                writer.interrupt();
                return;
            }
        } catch (InterruptedException e) {
            // not expected: nothing interrupts the watchdog
        } finally {
            lock.unlock();
        }
    }

    /** Stops watching. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
