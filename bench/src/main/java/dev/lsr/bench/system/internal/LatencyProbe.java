package dev.lsr.bench.system.internal;

import dev.lsr.bench.system.Spread;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Receipt-to-visible latency of the chunks whose receipt falls in a measurement window, in an
 * HdrHistogram (microseconds, 3 significant digits). Fed by a {@link ChunkWatcher}.
 */
final class LatencyProbe implements ChunkWatcher.Sink {

    private final Histogram histogram = new Histogram(60_000_000L, 3);
    private final AtomicLong seen = new AtomicLong();
    private volatile long windowStartMicros = Long.MAX_VALUE;
    private volatile long windowEndMicros = Long.MAX_VALUE;

    @Override
    public synchronized void chunk(String runId, long receivedMicros, long visibleMicros) {
        seen.incrementAndGet();
        if (receivedMicros >= windowStartMicros && receivedMicros < windowEndMicros) {
            histogram.recordValue(
                    Math.max(0, Math.min(visibleMicros - receivedMicros, histogram.getHighestTrackableValue())));
        }
    }

    /** Measures the chunks received from now on for {@code millis}. */
    void openWindow(long millis) {
        long now = ChunkWatcher.nowMicros();
        windowEndMicros = now + millis * 1_000;
        windowStartMicros = now;
    }

    /** Chunks seen so far (in or out of the window). */
    long seen() {
        return seen.get();
    }

    /** Chunks measured. */
    synchronized long measured() {
        return histogram.getTotalCount();
    }

    /** A percentile (e.g. 99.0) in milliseconds. */
    synchronized double percentileMillis(double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    /** The measured percentiles of one trial. */
    record Percentiles(double p50, double p99, double p999) {

        static Spread spread(
                java.util.List<Percentiles> trials, java.util.function.ToDoubleFunction<Percentiles> pick) {
            return Spread.of(trials.stream().map(p -> pick.applyAsDouble(p)).toList());
        }
    }

    synchronized Percentiles percentiles() {
        return new Percentiles(percentileMillis(50), percentileMillis(99), percentileMillis(99.9));
    }
}
