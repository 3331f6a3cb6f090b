package dev.lsr.viewer.internal.html;

import dev.lsr.viewer.model.Timeline;
import java.util.List;

/**
 * The timeline as SVG: a time axis, one lane per step and per tool call, and vertical markers for
 * the first content, resumes, gaps and connection cuts. Classes and {@code data-} attributes name
 * every part, so that pages can be checked (and styled) by what things are.
 */
public final class TimelineSvg {

    private static final double AXIS = 48;
    private static final double LANE = 26;
    private static final double BAR = 16;
    private static final double SECTION = 18;

    private TimelineSvg() {}

    public static String render(Timeline timeline) {
        if (timeline.start() == null) {
            return "<p class=\"empty\">No receipt times in the log for this run: no timeline.</p>";
        }
        Scale scale = new Scale(timeline.durationMs());
        List<Timeline.Lane> steps = timeline.lanes(Timeline.Lane.Kind.STEP);
        List<Timeline.Lane> tools = timeline.lanes(Timeline.Lane.Kind.TOOL);
        double height =
                AXIS + SECTION + steps.size() * LANE + (tools.isEmpty() ? 0 : SECTION + tools.size() * LANE) + 8;
        StringBuilder svg = scale.open("timeline", height, "run timeline");
        scale.ticks(svg, AXIS - 26, height - 4, AXIS - 32);
        double y = AXIS;
        y = section(svg, "steps", y);
        for (Timeline.Lane lane : steps) {
            lane(svg, scale, lane, y, "step");
            y += LANE;
        }
        if (!tools.isEmpty()) {
            y = section(svg, "tool calls", y);
            for (Timeline.Lane lane : tools) {
                lane(svg, scale, lane, y, "tool");
                y += LANE;
            }
        }
        for (Timeline.Marker marker : timeline.markers()) {
            marker(svg, scale, marker, height);
        }
        return svg.append("</svg>").toString();
    }

    private static double section(StringBuilder svg, String title, double y) {
        svg.append("<text class=\"section\" x=\"8\" y=\"")
                .append(Format.coordinate(y + 13))
                .append("\">")
                .append(title)
                .append("</text>");
        return y + SECTION;
    }

    private static void lane(StringBuilder svg, Scale scale, Timeline.Lane lane, double y, String kind) {
        double x = scale.x(lane.startMs());
        double width = Math.max(4, scale.width(lane.startMs(), lane.endMs()));
        String took = Format.duration(lane.endMs() - lane.startMs());
        svg.append("<g class=\"lane ")
                .append(kind)
                .append(' ')
                .append(Html.escape(lane.state()))
                .append("\" data-id=\"")
                .append(Html.text(lane.id()))
                .append("\" data-start-ms=\"")
                .append(lane.startMs())
                .append("\" data-end-ms=\"")
                .append(lane.endMs())
                .append("\">")
                .append("<title>")
                .append(Html.text(lane.label()))
                .append(": ")
                .append(Html.text(lane.detail()))
                .append(", ")
                .append(Format.offset(lane.startMs()))
                .append(" for ")
                .append(took)
                .append("</title>")
                .append("<rect class=\"band\" x=\"0\" y=\"")
                .append(Format.coordinate(y))
                .append("\" width=\"")
                .append(Format.coordinate(Scale.WIDTH))
                .append("\" height=\"")
                .append(Format.coordinate(LANE))
                .append("\"/>")
                .append("<text class=\"lane-label\" x=\"8\" y=\"")
                .append(Format.coordinate(y + 17))
                .append("\">")
                .append(Html.text(clip(lane.label(), 22)))
                .append("</text>")
                .append("<rect class=\"bar\" rx=\"3\" x=\"")
                .append(Format.coordinate(x))
                .append("\" y=\"")
                .append(Format.coordinate(y + (LANE - BAR) / 2))
                .append("\" width=\"")
                .append(Format.coordinate(width))
                .append("\" height=\"")
                .append(Format.coordinate(BAR))
                .append("\"/>");
        // a call still waiting has no length yet: say since when it waits
        String note = Html.text(clip(lane.detail(), 48)) + " \u00b7 "
                + ("pending".equals(lane.state()) ? "since " + Format.offset(lane.startMs()) : took);
        boolean roomAfter = x + width + 8 + note.length() * 6.2 < Scale.WIDTH;
        double textX = roomAfter ? x + width + 6 : Math.max(Scale.X0 + 4, x - 6);
        svg.append("<text class=\"lane-note")
                .append(roomAfter ? "" : " before")
                .append("\" x=\"")
                .append(Format.coordinate(textX))
                .append("\" y=\"")
                .append(Format.coordinate(y + 17))
                .append("\">")
                .append(note)
                .append("</text></g>");
    }

    private static void marker(StringBuilder svg, Scale scale, Timeline.Marker marker, double height) {
        String kind = switch (marker.kind()) {
            case FIRST_CONTENT -> "ttfc";
            case RESUME -> "resume";
            case GAP -> "gap";
            case CONNECTION_CUT -> "cut";
        };
        String tag = switch (marker.kind()) {
            case FIRST_CONTENT -> "first content";
            case RESUME -> "resume";
            case GAP -> "gap";
            case CONNECTION_CUT -> "cut";
        };
        String x = Format.coordinate(scale.x(marker.atMs()));
        svg.append("<g class=\"marker ")
                .append(kind)
                .append("\" data-at-ms=\"")
                .append(marker.atMs())
                .append("\">")
                .append("<title>")
                .append(Html.text(marker.label()))
                .append(" (")
                .append(Format.offset(marker.atMs()))
                .append(")</title>")
                .append("<line x1=\"")
                .append(x)
                .append("\" x2=\"")
                .append(x)
                .append("\" y1=\"")
                .append(Format.coordinate(AXIS - 20))
                .append("\" y2=\"")
                .append(Format.coordinate(height - 4))
                .append("\"/>")
                .append("<text class=\"marker-label\" x=\"")
                .append(x)
                .append("\" y=\"")
                .append(Format.coordinate(AXIS - 8))
                .append("\">")
                .append(tag)
                .append("</text></g>");
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }
}
