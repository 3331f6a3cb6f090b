package dev.lsr.bench.system;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The median and range of a few repeated measurements of one quantity.
 *
 * @param median the median (mean of the middle two for an even count)
 * @param min    the smallest measurement
 * @param max    the largest measurement
 * @param count  how many measurements
 */
public record Spread(double median, double min, double max, int count) {

    /** Summarises measurements; at least one. */
    public static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no measurements");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Spread(median, sorted.getFirst(), sorted.getLast(), n);
    }

    /**
     * The per-pair ratios {@code numerators[i] / denominators[i]}, summarised: a ratio is taken within each
     * pair of trials measured side by side, then the ratios are summarised, never the medians divided.
     */
    public static Spread ofRatios(List<Double> numerators, List<Double> denominators) {
        if (numerators.size() != denominators.size()) {
            throw new IllegalArgumentException(
                    numerators.size() + " measurements against " + denominators.size() + ": they do not pair up");
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < numerators.size(); i++) {
            ratios.add(numerators.get(i) / denominators.get(i));
        }
        return of(ratios);
    }

    /** A single measurement. */
    public static Spread single(double value) {
        return new Spread(value, value, value, 1);
    }

    /** {@code "12,345 (12,001-12,900)"}: median, then the range when there is more than one measurement. */
    public String format(int decimals) {
        String median = number(this.median, decimals);
        return count == 1 ? median : median + " (" + number(min, decimals) + "–" + number(max, decimals) + ")";
    }

    private static String number(double value, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }
}
