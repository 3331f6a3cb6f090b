package dev.lsr.recorder.internal.letta;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder's {@code letta} readiness check: {@link LettaCallHealth}'s last outcome, at once; when that outcome is
 * older than {@link #ASK_AFTER}, it first has Letta's listing asked in the background. A recorder that lists nothing
 * (no watcher, its runs done or none, no outage) would otherwise keep its last outcome, or none, for good, and read
 * {@code UP} while Letta is down. The ask ({@link LettaApi#checkServer}, through {@link OutageTrackingLettaApi}, which
 * tells {@link LettaCallHealth} and the outage log) runs on a virtual thread of its own, one at a time, and takes at
 * most the request timeout; the check never waits for it: the request that starts it, and any meanwhile, get the last
 * outcome, the next ones the ask's. So a Letta that answers slowly keeps its last outcome and a readiness request is
 * as quick as reading it (a kubelet's default probe timeout is 1 s). Two exceptions: an ask still waiting for Letta
 * after {@link #ASK_AFTER} reads {@code DOWN} (a Letta that takes connections and never answers, with a long
 * {@code --request-timeout}), and so does an ask that ended in an unexpected exception (named by its type only: its
 * message may hold a URL). {@link #close} stops it: the ask in flight is interrupted, and none starts after. The
 * recorder's start check is its first listing ({@link LettaCallHealth#checkServer}), so a recorder that runs has an
 * outcome; before any, the check reads {@link LettaCallHealth#NOT_CHECKED_YET}.
 */
public final class LettaReadiness {

    private static final Logger LOG = LoggerFactory.getLogger(LettaReadiness.class);

    /**
     * How old the last listing's outcome may be before the check asks again: well above a watcher's poll interval
     * (default 1 s), so a watcher's listings keep it fresh, and a few kubelet probe periods, so a recorder that lists
     * nothing asks at most once every 30 s.
     */
    static final Duration ASK_AFTER = Duration.ofSeconds(30);

    /** Runs each ask on a virtual thread of its own. */
    static final Executor IN_THE_BACKGROUND =
            ask -> Thread.ofVirtual().name("letta-readiness-ask").start(ask);

    /** What {@link #askingSince} holds while no ask runs. */
    private static final long NOT_ASKING = Long.MIN_VALUE;

    private final LettaApi tracked;
    private final LettaCallHealth health;
    private final Executor asks;
    /** When the ask running now started ({@link LettaCallHealth#nanoTime}), or {@link #NOT_ASKING}. */
    private final AtomicLong askingSince = new AtomicLong(NOT_ASKING);
    /** Why the last ask ended in an unexpected exception, or null. */
    private volatile String askFailed;
    /** Whether an unexpected exception of an ask was logged: once per recorder. */
    private volatile boolean loggedUnexpected;
    /** The thread of the ask running now, for {@link #close} to interrupt, or null. */
    private final AtomicReference<Thread> asker = new AtomicReference<>();
    /** Set by {@link #close}: no ask starts, and one that ends says nothing. */
    private volatile boolean closed;

    /** @param tracked Letta through the {@link OutageTrackingLettaApi} that tells {@code health} */
    public LettaReadiness(LettaApi tracked, LettaCallHealth health) {
        this(tracked, health, IN_THE_BACKGROUND);
    }

    /** @param asks runs an ask ({@link #IN_THE_BACKGROUND}; on the caller's thread in tests that want its outcome) */
    LettaReadiness(LettaApi tracked, LettaCallHealth health, Executor asks) {
        this.tracked = tracked;
        this.health = health;
        this.asks = asks;
    }

    /** Why Letta's last listing failed, or empty while it answered; has it asked first when that was too long ago. */
    public Optional<String> failure() {
        long now = health.nanoTime();
        long since = askingSince.get();
        if (since != NOT_ASKING && now - since > ASK_AFTER.toNanos()) {
            return Optional.of(
                    "no answer on " + OutageTrackingLettaApi.RUNS + " within " + ASK_AFTER.toSeconds() + " s");
        }
        if (!closed
                && since == NOT_ASKING
                && health.outcomeOlderThan(ASK_AFTER)
                && askingSince.compareAndSet(NOT_ASKING, now)) {
            try {
                asks.execute(this::ask);
            } catch (RuntimeException | Error e) {
                askingSince.set(NOT_ASKING); // no thread for it: the next request tries again
                throw e;
            }
        }
        String failed = askFailed;
        return failed != null ? Optional.of(failed) : health.failure();
    }

    /**
     * Stops asking, for good: the ask in flight, if any, is interrupted, and no ask starts after this. The recorder calls
     * it when it stops, so that no ask outlives it, to log or to call its HTTP client. The interrupted OkHttp call ends
     * at once, its connect too, in an IOException whose outcome is told to no one ({@link OkHttpLettaApi}, {@link
     * OutageTrackingLettaApi#endedByInterrupt}); a DNS lookup cannot be interrupted: an ask resolving Letta's host ends
     * when the lookup does. Why an interrupt and not {@code Call.cancel()}: {@link LettaApi#checkServer} hands out no
     * call to cancel. Its one cost: an interrupt that finds the thread blocked writing to a socket closes that socket,
     * which over HTTP/2 the runs' streams share; the recorder stops them right after anyway ({@code
     * Components.stop}), and each resumes from its committed position.
     */
    public void close() {
        closed = true;
        Thread asking = asker.get();
        if (asking != null) {
            asking.interrupt();
        }
    }

    /** Asks, unless closed; {@link #close} sees this thread, or this ask sees it closed. */
    private void ask() {
        asker.set(Thread.currentThread());
        try {
            if (closed) {
                return;
            }
            tracked.checkServer();
            askFailed = null;
        } catch (IOException e) {
            askFailed = null; // told LettaCallHealth how it ended (or, interrupted by close, no one)
        } catch (RuntimeException e) {
            if (closed) {
                return; // the recorder stopped under it
            }
            askFailed = "the check of " + OutageTrackingLettaApi.RUNS + " failed: "
                    + e.getClass().getSimpleName();
            if (!loggedUnexpected) {
                loggedUnexpected = true;
                LOG.warn(
                        "readiness: asking Letta's listing failed unexpectedly: {}",
                        e.getClass().getName());
            }
        } finally {
            asker.set(null);
            askingSince.set(NOT_ASKING);
        }
    }
}
