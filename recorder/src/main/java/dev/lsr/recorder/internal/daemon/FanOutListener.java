package dev.lsr.recorder.internal.daemon;

import dev.lsr.chunklog.RunState;
import dev.lsr.recorder.RecorderListener;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls several {@link RecorderListener}s in order, e.g. the caller's and the metrics. A hook that
 * throws is logged (a warning the first time, then at debug) and does not stop the others or the run.
 */
public final class FanOutListener implements RecorderListener {

    private static final Logger log = LoggerFactory.getLogger(FanOutListener.class);

    private final List<RecorderListener> listeners;
    private final AtomicBoolean warned = new AtomicBoolean();

    private FanOutListener(List<RecorderListener> listeners) {
        this.listeners = listeners;
    }

    /** One listener for all of {@code listeners}, leaving out {@link RecorderListener#NONE}. */
    public static RecorderListener of(RecorderListener... listeners) {
        List<RecorderListener> used = List.of(listeners).stream()
                .filter(l -> l != RecorderListener.NONE)
                .toList();
        return used.isEmpty() ? RecorderListener.NONE : new FanOutListener(used);
    }

    @Override
    public void chunkAppended(String runId, int sizeBytes) {
        listeners.forEach(l -> call(l, "chunkAppended", () -> l.chunkAppended(runId, sizeBytes)));
    }

    @Override
    public void frameRejected(String runId, String reason) {
        listeners.forEach(l -> call(l, "frameRejected", () -> l.frameRejected(runId, reason)));
    }

    @Override
    public void replayDropped(String runId) {
        listeners.forEach(l -> call(l, "replayDropped", () -> l.replayDropped(runId)));
    }

    @Override
    public void gapRecorded(String runId, String cause, long missing) {
        listeners.forEach(l -> call(l, "gapRecorded", () -> l.gapRecorded(runId, cause, missing)));
    }

    @Override
    public void runResumed(String runId, String cause) {
        listeners.forEach(l -> call(l, "runResumed", () -> l.runResumed(runId, cause)));
    }

    @Override
    public void runEnded(String runId, RunState state) {
        listeners.forEach(l -> call(l, "runEnded", () -> l.runEnded(runId, state)));
    }

    @Override
    public void recordingFailed(String runId) {
        listeners.forEach(l -> call(l, "recordingFailed", () -> l.recordingFailed(runId)));
    }

    @Override
    public void lettaOutageStarted(Throwable cause) {
        listeners.forEach(l -> call(l, "lettaOutageStarted", () -> l.lettaOutageStarted(cause)));
    }

    @Override
    public void lettaOutageEnded(java.time.Duration outage) {
        listeners.forEach(l -> call(l, "lettaOutageEnded", () -> l.lettaOutageEnded(outage)));
    }

    private void call(RecorderListener listener, String hook, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            if (warned.compareAndSet(false, true)) {
                log.warn(
                        "Listener {} failed in {} (ignored; later failures are logged at debug): {}",
                        listener.getClass().getName(),
                        hook,
                        e.toString());
            } else {
                log.debug("Listener {} failed in {}", listener.getClass().getName(), hook, e);
            }
        }
    }
}
