package dev.lsr.recorder.internal.drain;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts connections that went quiet: no frame for the stall timeout (3x the server's ping
 * interval: a dead socket), or, once the run showed its {@code stop_reason}, no frame and no end of
 * stream for the grace period, or nothing but keepalive pings for the abandon time (a run that makes
 * no progress). Aborting cancels the connection, so the blocked read fails and the supervisor
 * decides what next. One watchdog serves all runs; {@link #check()} does the work.
 */
public final class StallWatchdog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StallWatchdog.class);

    private final Clock clock;
    private final long stallMillis;
    private final long graceMillis;
    private final long noProgressMillis;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private volatile Thread ticker;

    /**
     * @param stallAfter           no frame for this long: a stall
     * @param graceAfterStopReason after a stop_reason, no frame for this long: the stream will not end by itself
     * @param noProgressAfter      nothing appended for this long (pings only): go and ask whether to give up
     */
    public StallWatchdog(Clock clock, Duration stallAfter, Duration graceAfterStopReason, Duration noProgressAfter) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stallMillis = stallAfter.toMillis();
        this.graceMillis = graceAfterStopReason.toMillis();
        this.noProgressMillis = noProgressAfter.toMillis();
    }

    /** Checks every watched connection every {@code tick}, on a virtual thread, until closed. */
    public StallWatchdog start(Duration tick) {
        ticker = Thread.ofVirtual().name("stall-watchdog").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(tick);
                } catch (InterruptedException e) {
                    return;
                }
                check();
            }
        });
        return this;
    }

    /** Watches one connection of a run the server has not reported ended; {@code abort} cancels it. */
    public Watch watch(Runnable abort, BooleanSupplier stopReasonSeen) {
        return watch(abort, stopReasonSeen, () -> false);
    }

    /**
     * Watches one connection from now on; {@code abort} cancels it. While {@code mayHaveEnded} (the
     * server said the run ended, or nobody asked it yet), a connection that brings nothing new is
     * aborted after the stall timeout already.
     */
    public Watch watch(Runnable abort, BooleanSupplier stopReasonSeen, BooleanSupplier mayHaveEnded) {
        Watch watch = new Watch(abort, stopReasonSeen, mayHaveEnded, clock.millis());
        watches.add(watch);
        return watch;
    }

    /** Aborts every connection that has been quiet for too long. */
    public void check() {
        long now = clock.millis();
        for (Watch watch : watches) {
            try {
                watch.checkAt(now);
            } catch (RuntimeException e) {
                // one connection's abort failing must not end the watch of every other one (the ticker thread)
                log.warn("Aborting a quiet connection ({}) failed: {}", watch.describe(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        Thread thread = ticker;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** One watched connection. */
    public final class Watch implements AutoCloseable {
        private final Runnable abort;
        private final BooleanSupplier stopReasonSeen;
        private final BooleanSupplier mayHaveEnded;
        private volatile long lastFrameAt;
        private volatile long lastProgressAt;
        private volatile String fired;

        private Watch(Runnable abort, BooleanSupplier stopReasonSeen, BooleanSupplier mayHaveEnded, long now) {
            this.abort = abort;
            this.stopReasonSeen = stopReasonSeen;
            this.mayHaveEnded = mayHaveEnded;
            this.lastFrameAt = now;
            this.lastProgressAt = now;
        }

        /** A frame arrived; {@code progressed}: it added a record to the log (not a ping, not a replay). */
        public void frameReceived(boolean progressed) {
            long now = clock.millis();
            lastFrameAt = now;
            if (progressed) {
                lastProgressAt = now;
            }
        }

        /** True when this watchdog aborted the connection. */
        public boolean fired() {
            return fired != null;
        }

        /** Why the connection was aborted, or null. */
        public String describe() {
            return fired;
        }

        private void checkAt(long now) {
            if (fired != null) {
                return;
            }
            boolean afterStop = stopReasonSeen.getAsBoolean();
            long limit = afterStop ? graceMillis : stallMillis;
            long quiet = now - lastFrameAt;
            long idle = now - lastProgressAt;
            if (quiet >= limit) {
                fired = afterStop
                        ? "no end of stream " + quiet + " ms after the stop_reason"
                        : "no frame for " + quiet + " ms";
            } else if (idle
                    >= (mayHaveEnded.getAsBoolean() ? Math.min(stallMillis, noProgressMillis) : noProgressMillis)) {
                fired = "nothing but keepalive pings for " + idle + " ms";
            } else {
                return;
            }
            log.debug("Aborting a quiet connection: {}", fired);
            abort.run();
        }

        @Override
        public void close() {
            watches.remove(this);
        }
    }
}
