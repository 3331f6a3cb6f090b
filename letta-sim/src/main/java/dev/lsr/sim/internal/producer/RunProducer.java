package dev.lsr.sim.internal.producer;

import dev.lsr.sim.internal.store.Frames;
import dev.lsr.sim.internal.store.Run;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a run's frames over time (the simulated background task writing to Redis): one pace
 * interval before each frame, extra intervals for pauses. A cancel ends the run with the spaced
 * {@code stop_reason: cancelled} (plus {@code [DONE]} in background mode). With a zero pace the
 * whole script is stored at once on the starting thread.
 */
public final class RunProducer {

    private static final Logger LOG = LoggerFactory.getLogger(RunProducer.class);

    private final Run run;
    private final List<ScriptEntry> script;
    private final long paceNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private int next;
    private boolean cancelled;
    private boolean exhausted;
    private boolean stopped;

    public RunProducer(Run run, List<ScriptEntry> script, Duration pace) {
        this.run = run;
        this.script = List.copyOf(script);
        this.paceNanos = pace.toNanos();
    }

    /** Starts storing: inline for a zero pace, else on the executor. */
    public void start(Executor executor) {
        run.markRunning();
        if (paceNanos == 0) {
            produce();
        } else {
            executor.execute(this::produce);
        }
    }

    /** Cancels the run; false if it already stored its final frame. */
    public boolean cancel() {
        lock.lock();
        try {
            if (run.stream().isFinished()) {
                return false;
            }
            cancelled = true;
            if (exhausted) {
                writeCancel();
            } else {
                wake.signalAll();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Stops producing for good (server shutdown); stores nothing more. */
    public void stop() {
        lock.lock();
        try {
            stopped = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void produce() {
        try {
            while (step()) {
                // keep storing
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("run {}: producer failed", run.id(), e);
        }
    }

    private boolean step() throws InterruptedException {
        lock.lock();
        try {
            if (next < script.size()) {
                long wait = paceNanos * ticksBefore(script.get(next));
                while (!cancelled && !stopped && wait > 0) {
                    wait = wake.awaitNanos(wait);
                }
            }
            if (stopped) {
                return false;
            }
            if (cancelled) {
                writeCancel();
                return false;
            }
            if (next >= script.size()) {
                exhausted = true;
                return false;
            }
            ScriptEntry entry = script.get(next++);
            switch (entry) {
                case ScriptEntry.Frame frame -> run.store(frame.spec());
                case ScriptEntry.RecordedPing ping -> run.stream().addRecordedPing(ping.bytes(), ping.replayBelow());
                case ScriptEntry.Pause pause -> {}
                case ScriptEntry.CancelHere cancel -> {
                    cancelled = true;
                    writeCancel();
                    return false;
                }
            }
            return !run.stream().isFinished();
        } finally {
            lock.unlock();
        }
    }

    private static long ticksBefore(ScriptEntry entry) {
        return switch (entry) {
            case ScriptEntry.Frame frame -> 1;
            case ScriptEntry.RecordedPing ping -> 1;
            case ScriptEntry.Pause pause -> pause.ticks();
            case ScriptEntry.CancelHere cancel -> 0;
        };
    }

    private void writeCancel() {
        if (run.stream().isFinished()) {
            return;
        }
        boolean background = run.info().background();
        run.store(Frames.cancelledStopReason(!background));
        if (background) {
            run.store(Frames.done());
        }
        LOG.debug("run {}: cancelled", run.id());
    }
}
