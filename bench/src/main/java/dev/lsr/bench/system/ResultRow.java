package dev.lsr.bench.system;

import java.util.Objects;

/**
 * One line of the results table: a metric measured for the baseline and for our code in the same
 * run, and how our code compares.
 *
 * @param metric   what was measured, with its unit
 * @param baseline the baseline's measurements, or null when the metric has no baseline
 * @param ours     our code's measurements
 * @param ratio    ours / baseline per alternated pair, or null
 * @param decimals decimals to show for baseline and ours
 * @param target   the target in words (e.g. {@code ratio >= 0.8}), or empty
 * @param verdict  whether the target is met
 */
public record ResultRow(
        String metric, Spread baseline, Spread ours, Spread ratio, int decimals, String target, Verdict verdict) {

    /** Whether a row meets its target. */
    public enum Verdict {
        MET,
        MISSED,
        NO_TARGET
    }

    public ResultRow {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(ours, "ours");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(verdict, "verdict");
    }

    /** A row without target. */
    public static ResultRow info(String metric, Spread baseline, Spread ours, Spread ratio, int decimals) {
        return new ResultRow(metric, baseline, ours, ratio, decimals, "", Verdict.NO_TARGET);
    }

    /** A row whose target is met when {@code met} is true. */
    public static ResultRow targeted(
            String metric, Spread baseline, Spread ours, Spread ratio, int decimals, String target, boolean met) {
        return new ResultRow(metric, baseline, ours, ratio, decimals, target, met ? Verdict.MET : Verdict.MISSED);
    }
}
