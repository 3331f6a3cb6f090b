package dev.lsr.bench.system.internal;

import dev.lsr.bench.system.Spread;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a baseline and our code alternately (A B A B ...) on the same broker and load, so that a
 * noisy neighbour hurts both about equally, and keeps the per-pair ratios.
 */
public final class Alternation {

    private static final Logger LOG = LoggerFactory.getLogger(Alternation.class);

    /** One measurement of one side. */
    @FunctionalInterface
    public interface Trial {
        double measure(int pair) throws Exception;
    }

    /**
     * The measurements of each side and ours/baseline per pair; {@code naive} holds the naive recorder's
     * (issue 14) when it was measured in the same pairs, else it is empty.
     */
    public record Result(List<Double> baseline, List<Double> ours, List<Double> naive) {

        public Result(List<Double> baseline, List<Double> ours) {
            this(baseline, ours, List.of());
        }

        public Spread naiveSpread() {
            return Spread.of(naive);
        }

        /** Ours / naive recorder, per pair. */
        public Spread ratioToNaive() {
            return Spread.ofRatios(ours, naive);
        }

        public Spread baselineSpread() {
            return Spread.of(baseline);
        }

        public Spread oursSpread() {
            return Spread.of(ours);
        }

        public Spread ratio() {
            return Spread.ofRatios(ours, baseline);
        }
    }

    private Alternation() {}

    /** Measures {@code pairs} times the baseline then ours. */
    public static Result run(String what, int pairs, Trial baseline, Trial ours) {
        return run(what, pairs, false, baseline, ours);
    }

    /**
     * Measures {@code pairs} times the baseline then ours, after one unrecorded pair when {@code warmUp}
     * (so the JIT has compiled both paths before the first recorded trial).
     */
    public static Result run(String what, int pairs, boolean warmUp, Trial baseline, Trial ours) {
        return run(what, pairs, warmUp, baseline, null, ours);
    }

    /**
     * As {@link #run(String, int, boolean, Trial, Trial)} with the naive recorder as a third side: each
     * round measures the baseline, the naive recorder, then ours ({@code naive} null: two sides).
     */
    public static Result run(String what, int pairs, boolean warmUp, Trial baseline, Trial naive, Trial ours) {
        if (warmUp) {
            measure(what + " baseline warm-up", -1, baseline);
            if (naive != null) {
                measure(what + " naive warm-up", -1, naive);
            }
            measure(what + " ours warm-up", -1, ours);
        }
        List<Double> a = new ArrayList<>();
        List<Double> n = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        for (int pair = 0; pair < pairs; pair++) {
            a.add(measure(what + " baseline", pair, baseline));
            if (naive != null) {
                n.add(measure(what + " naive", pair, naive));
            }
            b.add(measure(what + " ours", pair, ours));
        }
        return new Result(List.copyOf(a), List.copyOf(b), List.copyOf(n));
    }

    private static double measure(String what, int pair, Trial trial) {
        try {
            double value = trial.measure(pair);
            LOG.info("{} #{}: {}", what, pair + 1, String.format(java.util.Locale.ROOT, "%.2f", value));
            return value;
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
        }
    }
}
