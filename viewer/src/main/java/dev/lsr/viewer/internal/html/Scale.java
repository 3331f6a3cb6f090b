package dev.lsr.viewer.internal.html;

/**
 * The time axis shared by the timeline and the cadence plot, so that they line up: a run's
 * milliseconds mapped onto SVG x between a label column and the right edge, and round tick steps.
 */
final class Scale {

    static final double WIDTH = 1000;
    static final double X0 = 170;
    static final double X1 = WIDTH - 24;

    private static final long[] TICK_STEPS_MS = {
        100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000
    };

    private final long durationMs;

    Scale(long durationMs) {
        this.durationMs = Math.max(1, durationMs);
    }

    double x(long ms) {
        return X0 + (X1 - X0) * Math.min(Math.max(ms, 0), durationMs) / durationMs;
    }

    double width(long fromMs, long toMs) {
        return x(toMs) - x(fromMs);
    }

    /**
     * An SVG of this axis, opened: the view box, and the axis's ends and span as {@code data-} attributes
     * (so that a check can tell where a time is drawn).
     */
    StringBuilder open(String cssClass, double height, String label) {
        return new StringBuilder(4096)
                .append("<svg class=\"")
                .append(cssClass)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .append(Format.coordinate(WIDTH))
                .append(' ')
                .append(Format.coordinate(height))
                .append("\" role=\"img\" aria-label=\"")
                .append(label)
                .append("\" data-x0=\"")
                .append(Format.coordinate(X0))
                .append("\" data-x1=\"")
                .append(Format.coordinate(X1))
                .append("\" data-duration-ms=\"")
                .append(durationMs)
                .append("\">");
    }

    /** A round step giving at most about eight ticks. */
    long tickStep() {
        for (long step : TICK_STEPS_MS) {
            if (durationMs / step <= 8) {
                return step;
            }
        }
        return TICK_STEPS_MS[TICK_STEPS_MS.length - 1];
    }

    long durationMs() {
        return durationMs;
    }

    /** The ticks and their labels along the top or bottom of a plot. */
    void ticks(StringBuilder svg, double top, double bottom, double labelY) {
        long step = tickStep();
        for (long t = 0; t <= durationMs; t += step) {
            String x = Format.coordinate(x(t));
            svg.append("<line class=\"tick\" x1=\"")
                    .append(x)
                    .append("\" x2=\"")
                    .append(x)
                    .append("\" y1=\"")
                    .append(Format.coordinate(top))
                    .append("\" y2=\"")
                    .append(Format.coordinate(bottom))
                    .append("\"/>")
                    .append("<text class=\"tick-label\" x=\"")
                    .append(x)
                    .append("\" y=\"")
                    .append(Format.coordinate(labelY))
                    .append("\">")
                    .append(label(t))
                    .append("</text>");
        }
    }

    private static String label(long ms) {
        if (ms == 0) {
            return "0";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + " min";
        }
        return ms % 1000 == 0 ? ms / 1000 + " s" : Format.duration(ms);
    }
}
