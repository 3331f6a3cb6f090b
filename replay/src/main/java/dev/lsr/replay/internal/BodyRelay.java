package dev.lsr.replay.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads a client's request body in a thread of its own (a virtual one, started at the first need of it) and hands it
 * on, a buffer at a time, to whoever pulls it ({@link #stream()}: the JDK client, for the upstream), or throws it away
 * ({@link #discardWithin}). It is the only reader of the JDK server's request stream, whose reads have no timeout
 * and, blocked, hold its monitor (which the JDK server's close-time drain of the body waits for, not interruptibly):
 * so a client that stops sending blocks this thread only, never the handler. A pull waits for at most the read limit,
 * parking the thread that pulls (the proxy's JDK client runs on virtual threads, so no platform thread either); {@link
 * #letGo} ends a read still blocked some time later (its interrupt closes the connection's channel: the connection is
 * lost, the monitor let go), after the handler's answer is out. Let go before it started, it never starts.
 *
 * <p>The body is handed on once: a second {@link #stream()} (the JDK client resubscribing to retry a request) fails
 * its reads, so the retry fails instead of sending what is left of the body as if it were the whole.
 */
final class BodyRelay {

    private final InputStream source;
    private final long length; // declared, or -1 (chunked)
    private final long readLimitNanos;
    private final long uploadLimitNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final byte[] buffer = new byte[8192];
    private Thread reader; // guarded by lock; null until started
    private int filled; // guarded by lock: bytes of buffer not yet pulled
    private int pulledFrom; // guarded by lock
    private long relayed; // guarded by lock: read from the source
    private boolean ended; // guarded by lock: the source's end was read (or its declared length)
    private boolean failed; // guarded by lock: a read of the source failed
    private boolean reading; // guarded by lock: the reader is in a read of the source
    private boolean discarding; // guarded by lock: nothing more is handed on
    private long discardUpTo; // guarded by lock
    private boolean stalled; // guarded by lock: a pull waited past the read limit, or the upload limit
    private boolean overdue; // guarded by lock: the pulls' waits for the client came to the upload limit
    private long waitedNanos; // guarded by lock: how long pulls waited for the client, in all
    private boolean lettingGo; // guarded by lock: let go
    private boolean gone; // guarded by lock: let go, and its time passed
    private boolean streamed; // guarded by lock: stream() was called
    private int pulls; // guarded by lock: pulls waiting for the client
    private long pulledAt; // guarded by lock: System.nanoTime() of the last bytes (or end) pulled, or of the creation

    /** A relay whose upload has no bound but each wait's: the read limit. */
    BodyRelay(InputStream source, long length, Duration readLimit) {
        this(source, length, readLimit, Duration.ofNanos(Long.MAX_VALUE));
    }

    /**
     * @param readLimit   how long one pull may wait for the client's next bytes
     * @param uploadLimit how long the pulls may wait for the client in all: a client trickling its body, each wait
     *                    just under the read limit, holds the request for no longer
     */
    BodyRelay(InputStream source, long length, Duration readLimit, Duration uploadLimit) {
        this.source = source;
        this.length = length;
        this.readLimitNanos = Nanos.of(readLimit);
        this.uploadLimitNanos = Nanos.of(uploadLimit);
        this.pulledAt = System.nanoTime();
    }

    /** The body, for the upstream: each read waits for the client for at most the read limit. */
    InputStream stream() {
        lock.lock();
        try {
            if (streamed) {
                return new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("the client's request body was passed on once already: not again");
                    }
                };
            }
            streamed = true;
        } finally {
            lock.unlock();
        }
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return pull(b, off, len);
            }
        };
    }

    private int pull(byte[] b, int off, int len) throws IOException {
        lock.lock();
        try {
            if (!discarding) {
                start();
            }
            long left = readLimitNanos;
            pulls++;
            try {
                while (filled == 0 && !ended && !failed && !discarding) {
                    long overall = uploadLimitNanos - waitedNanos;
                    if (overall <= 0) {
                        stalled = true;
                        overdue = true;
                        throw new IOException("the client did not send its request body within its upload limit");
                    }
                    if (left <= 0) {
                        stalled = true;
                        throw new IOException("the client sent nothing of its request body for its read limit");
                    }
                    long wait = Math.min(left, overall);
                    long waited = wait - Math.max(0, changed.awaitNanos(wait));
                    left -= waited;
                    waitedNanos += waited;
                }
            } finally {
                pulls--;
                pulledAt = System.nanoTime();
            }
            if (discarding) {
                throw new IOException("the client's request body is no longer passed on");
            }
            if (failed && filled == 0) {
                throw new IOException("the client's request body could not be read");
            }
            if (filled == 0) {
                return -1;
            }
            int n = Math.min(len, filled);
            System.arraycopy(buffer, pulledFrom, b, off, n);
            pulledFrom += n;
            filled -= n;
            changed.signalAll();
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for the client's request body", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops handing the body on and reads the rest of it, up to {@code upTo} bytes in all: whether its end came within
     * {@code limit}. Waits in the caller's thread, never reading the connection itself.
     */
    boolean discardWithin(long upTo, Duration limit) {
        lock.lock();
        try {
            if (lettingGo) {
                return ended;
            }
            discarding = true;
            discardUpTo = upTo;
            filled = 0;
            start();
            changed.signalAll();
            long left = Nanos.of(limit);
            while (!ended && !failed && relayed < upTo && left > 0) {
                left = changed.awaitNanos(left);
            }
            return ended;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Lets go of the body: nothing more is handed on; a read of it still blocked {@code after} from now is ended, which
     * closes the connection (a body the client stopped sending). Call it before the answer whose closing drains the
     * body; once is enough, again does nothing. Before the relay started, it never starts.
     */
    void letGo(Duration after) {
        lock.lock();
        try {
            if (ended || failed || lettingGo) {
                return;
            }
            lettingGo = true;
            if (!discarding) {
                discarding = true;
                discardUpTo = relayed; // nothing more
                filled = 0;
                changed.signalAll();
            }
            if (reader == null) {
                return; // nothing reads the source: nothing to end
            }
        } finally {
            lock.unlock();
        }
        Thread.ofVirtual().name("request-body-let-go").start(() -> {
            try {
                Thread.sleep(after);
            } catch (InterruptedException e) {
                return;
            }
            lock.lock();
            try {
                gone = true;
                changed.signalAll();
                if (reading) {
                    reader.interrupt(); // closes the channel: the blocked read ends, the stream's monitor let go
                }
            } finally {
                lock.unlock();
            }
        });
    }

    /** Whether the whole body was read from the client. */
    boolean ended() {
        lock.lock();
        try {
            return ended;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a read of the client's body failed, or ended short of its declared length: the client hung up. */
    boolean failed() {
        lock.lock();
        try {
            return failed;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a pull for the upstream waited past the read limit for the client. */
    boolean stalled() {
        lock.lock();
        try {
            return stalled;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a pull failed as the pulls' waits for the client came to the upload limit, in all. */
    boolean overdue() {
        lock.lock();
        try {
            return overdue;
        } finally {
            lock.unlock();
        }
    }

    /**
     * How long the body's reader (the upstream) has kept the client's body waiting, in nanoseconds: since the last
     * bytes or end it pulled (or since this relay was made, for a body never pulled); 0 while a pull waits for the
     * client (the read limit bounds that wait).
     */
    long idleNanos() {
        lock.lock();
        try {
            return pulls > 0 ? 0 : System.nanoTime() - pulledAt;
        } finally {
            lock.unlock();
        }
    }

    private void start() { // lock held
        if (reader == null && !lettingGo) {
            reader = Thread.ofVirtual().name("request-body-relay").start(this::relay);
        }
    }

    private void relay() {
        try {
            while (true) {
                lock.lock();
                try {
                    while (filled > 0 && !discarding && !gone) {
                        changed.await();
                    }
                    if (gone || discarding && relayed >= discardUpTo) {
                        return; // the rest is left to the JDK server (it closes the connection)
                    }
                    reading = true;
                } finally {
                    lock.unlock();
                }
                int n;
                try {
                    n = source.read(buffer, 0, buffer.length);
                } catch (IOException e) {
                    n = -2;
                }
                lock.lock();
                try {
                    reading = false;
                    if (n == -2 || n < 0 && length >= 0 && relayed < length) {
                        failed = true; // it failed, or ended short of its declared length: the client hung up
                    } else if (n < 0) {
                        ended = true;
                    } else {
                        relayed += n;
                        ended = length >= 0 && relayed >= length;
                        if (!discarding) {
                            filled = n;
                            pulledFrom = 0;
                        }
                    }
                    changed.signalAll();
                    if (ended || failed) {
                        return;
                    }
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            // let go
        }
    }
}
