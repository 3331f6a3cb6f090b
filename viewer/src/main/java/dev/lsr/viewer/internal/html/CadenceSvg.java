package dev.lsr.viewer.internal.html;

import dev.lsr.viewer.model.Cadence;
import dev.lsr.viewer.model.Timeline;
import java.util.Locale;

/** The chunk-cadence plot: chunks per second over the run, on the timeline's time axis. */
public final class CadenceSvg {

    private static final double HEIGHT = 150;
    private static final double TOP = 14;
    private static final double BOTTOM = HEIGHT - 22;

    private CadenceSvg() {}

    public static String render(Cadence cadence, Timeline timeline) {
        if (timeline.start() == null || cadence.bins().isEmpty()) {
            return "";
        }
        Scale scale = new Scale(timeline.durationMs());
        double peak = Math.max(1, cadence.peakPerSecond());
        StringBuilder svg = scale.open("cadence", HEIGHT, "chunks per second");
        svg.append("<text class=\"section\" x=\"8\" y=\"")
                .append(Format.coordinate(TOP + 10))
                .append("\">chunks / s</text>")
                .append("<text class=\"axis-note\" x=\"8\" y=\"")
                .append(Format.coordinate(TOP + 28))
                .append("\">peak ")
                .append(String.format(Locale.ROOT, "%.1f", cadence.peakPerSecond()))
                .append("</text>")
                .append("<text class=\"axis-note\" x=\"8\" y=\"")
                .append(Format.coordinate(TOP + 44))
                .append("\">bins of ")
                .append(Format.duration(cadence.binMs()))
                .append("</text>");
        scale.ticks(svg, TOP, BOTTOM, HEIGHT - 6);
        svg.append("<line class=\"baseline\" x1=\"")
                .append(Format.coordinate(Scale.X0))
                .append("\" x2=\"")
                .append(Format.coordinate(Scale.X1))
                .append("\" y1=\"")
                .append(Format.coordinate(BOTTOM))
                .append("\" y2=\"")
                .append(Format.coordinate(BOTTOM))
                .append("\"/>");
        for (Cadence.Bin bin : cadence.bins()) {
            double rate = cadence.perSecond(bin);
            if (bin.chunks() == 0) {
                continue;
            }
            double h = (BOTTOM - TOP) * rate / peak;
            double x = scale.x(bin.startMs());
            double w = Math.max(1.5, scale.width(bin.startMs(), bin.startMs() + cadence.binMs()) - 1);
            svg.append("<rect class=\"rate\" x=\"")
                    .append(Format.coordinate(x))
                    .append("\" y=\"")
                    .append(Format.coordinate(BOTTOM - h))
                    .append("\" width=\"")
                    .append(Format.coordinate(w))
                    .append("\" height=\"")
                    .append(Format.coordinate(h))
                    .append("\"><title>")
                    .append(Format.offset(bin.startMs()))
                    .append(": ")
                    .append(bin.chunks())
                    .append(" chunks (")
                    .append(String.format(Locale.ROOT, "%.1f", rate))
                    .append("/s)</title></rect>");
        }
        return svg.append("</svg>").toString();
    }
}
