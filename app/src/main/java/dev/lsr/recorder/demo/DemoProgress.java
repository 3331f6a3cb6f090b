package dev.lsr.recorder.demo;

import dev.lsr.chunklog.RunState;
import dev.lsr.recorder.RecorderListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counts what the recorder does, for the demo's progress line. Thread-safe. */
public final class DemoProgress implements RecorderListener {

    private final Set<String> seenRuns = ConcurrentHashMap.newKeySet();
    private final Set<String> endedRuns = ConcurrentHashMap.newKeySet();
    private final LongAdder chunks = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder resumes = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder replaysDropped = new LongAdder();
    private final AtomicLong chunksAtLastLine = new AtomicLong();
    private volatile long nanosAtLastLine = System.nanoTime();

    @Override
    public void chunkAppended(String runId, int sizeBytes) {
        seenRuns.add(runId);
        chunks.increment();
        bytes.add(sizeBytes);
    }

    @Override
    public void frameRejected(String runId, String reason) {
        rejected.increment();
    }

    @Override
    public void replayDropped(String runId) {
        replaysDropped.increment();
    }

    @Override
    public void runResumed(String runId, String cause) {
        resumes.increment();
    }

    @Override
    public void runEnded(String runId, RunState state) {
        if (state != RunState.ACTIVE) {
            endedRuns.add(runId);
        }
    }

    public int finishedRuns() {
        return endedRuns.size();
    }

    public long chunks() {
        return chunks.sum();
    }

    public long bytes() {
        return bytes.sum();
    }

    /** One progress line; the rate is over the time since the previous line. */
    public String line() {
        long now = System.nanoTime();
        long total = chunks.sum();
        double seconds = Math.max(1e-3, (now - nanosAtLastLine) / 1e9);
        long rate = Math.round((total - chunksAtLastLine.getAndSet(total)) / seconds);
        nanosAtLastLine = now;
        int ended = endedRuns.size();
        return String.format(
                "runs: %d active, %d finished | chunks: %,d (%,d/s) | resumes: %d, replayed chunks dropped: %,d"
                        + " | rejected frames: %d",
                Math.max(0, seenRuns.size() - ended),
                ended,
                total,
                rate,
                resumes.sum(),
                replaysDropped.sum(),
                rejected.sum());
    }
}
