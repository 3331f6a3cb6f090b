package dev.lsr.viewer.model;

import java.util.List;

/**
 * How fast a run's chunks came: delivered chunks (keepalive pings left out) counted in bins of
 * {@code binMs} from the run's start, and the inter-chunk gaps of the run summary.
 *
 * @param p50Ms median gap between consecutive chunk receipts, or null
 * @param p99Ms its 99th percentile, or null
 * @param maxMs the largest gap, or null
 */
public record Cadence(long binMs, List<Bin> bins, Double p50Ms, Double p99Ms, Double maxMs) {

    public Cadence {
        bins = List.copyOf(bins);
    }

    /** Chunks received in {@code [startMs, startMs + binMs)}. */
    public record Bin(long startMs, int chunks) {}

    /** Chunks per second in a bin. */
    public double perSecond(Bin bin) {
        return bin.chunks() * 1000.0 / binMs;
    }

    public double peakPerSecond() {
        return bins.stream().mapToDouble(this::perSecond).max().orElse(0);
    }
}
