package dev.lsr.viewer.internal.html;

import dev.lsr.consumer.projection.summary.RunSummary;
import dev.lsr.viewer.model.RunView;
import java.util.Map;

/** The run page: header figures, timeline, cadence plot, problems, transcript. */
public final class RunPageHtml {

    private RunPageHtml() {}

    /** @param version the catalog version read before {@code view}: the page's event stream starts there */
    public static String page(RunView view, long version) {
        String runId = view.summary().runId();
        String self = "/runs/" + Html.url(runId);
        return Layout.page(
                "Run " + Html.text(runId),
                "/events?run=" + Html.url(runId) + "&seen=" + version,
                self + "?fragment=1",
                live(view));
    }

    public static String live(RunView view) {
        RunSummary s = view.summary();
        StringBuilder html = new StringBuilder(16384);
        html.append("<nav class=\"crumbs\"><a href=\"/\">\u2190 runs</a></nav>\n")
                .append("<section class=\"run-header\" data-recording=\"")
                .append(view.recording())
                .append("\">")
                .append("<h1><span class=\"id\" id=\"run-id\">")
                .append(Html.text(s.runId()))
                .append("</span> ")
                .append(Badges.status(s.status(), s.stopReason(), view.recording()))
                .append("</h1>\n<dl class=\"facts\">");
        fact(html, "agent", Html.text(orUnknown(s.agentId())), "id");
        fact(html, "conversation", Html.text(orUnknown(s.conversationId())), "id");
        fact(html, "stop reason", Html.text(orUnknown(s.stopReason())), "");
        if (s.errorType() != null) {
            fact(html, "error", Html.text(s.errorType()), "bad");
        }
        fact(html, "started", Format.time(s.startedAt()), "");
        fact(
                html,
                "duration",
                Format.duration(
                        view.timeline().durationMs() == 0
                                ? s.durationMs()
                                : (Long) view.timeline().durationMs()),
                "");
        fact(html, "first content", Format.duration(s.timeToFirstContentMs()), "ttfc");
        fact(html, "tokens in / out", Format.count(s.inputTokens()) + " / " + Format.count(s.outputTokens()), "");
        if (s.cachedInputTokens() != null) {
            fact(html, "cached input", Format.count(s.cachedInputTokens()), "");
        }
        if (s.reasoningTokens() != null) {
            fact(html, "reasoning tokens", Format.count(s.reasoningTokens()), "");
        }
        fact(html, "steps", Format.count(s.stepCount()), "");
        fact(html, "tool calls", Format.count(s.toolCallCount()) + toolNames(s.toolCallsByName()), "");
        fact(html, "chunks", Format.count(s.chunkCount()), "");
        fact(html, "resumes", String.valueOf(s.resumeCount()), s.resumeCount() > 0 ? "warn" : "");
        fact(
                html,
                "gaps",
                s.gapCount() + (s.missingPositions() > 0 ? " (" + s.missingPositions() + " seqs)" : ""),
                s.gapCount() > 0 ? "bad" : "");
        html.append("</dl>");
        if (view.recording()) {
            html.append("<p class=\"note recording\">The log holds no end for this run yet: it is being recorded "
                    + "(this page follows it), or its recorder stopped before it ended.</p>");
        }
        html.append("</section>\n");

        html.append("<section class=\"panel\"><h2>Timeline</h2><div class=\"chart\">")
                .append(TimelineSvg.render(view.timeline()))
                .append("</div>\n<div class=\"chart\">")
                .append(CadenceSvg.render(view.cadence(), view.timeline()))
                .append("</div><p class=\"legend\"><span class=\"key ttfc\"></span>first content ")
                .append("<span class=\"key resume\"></span>resume <span class=\"key gap\"></span>gap ")
                .append("<span class=\"key cut\"></span>connection cut \u00b7 inter-chunk gap p50 <b id=\"gap-p50\">")
                .append(Format.millis(view.cadence().p50Ms()))
                .append("</b>, p99 <b id=\"gap-p99\">")
                .append(Format.millis(view.cadence().p99Ms()))
                .append("</b>, max <b>")
                .append(Format.millis(view.cadence().maxMs()))
                .append("</b></p></section>\n");

        if (!view.problems().isEmpty()) {
            html.append("<section class=\"panel problems\"><h2>Problems in the log</h2><ul>");
            view.problems()
                    .forEach(p -> html.append("<li>").append(Html.text(p)).append("</li>"));
            html.append("</ul></section>\n");
        }
        html.append("<section class=\"panel\"><h2>Transcript</h2>")
                .append(TranscriptHtml.render(view.transcript(), s.startedAt()))
                .append("</section>\n");
        return html.toString();
    }

    private static String toolNames(Map<String, Long> byName) {
        if (byName.isEmpty()) {
            return "";
        }
        StringBuilder names = new StringBuilder(" (");
        byName.forEach((name, n) -> names.append(names.length() > 2 ? ", " : "")
                .append(Html.text(name))
                .append(n > 1 ? " \u00d7" + n : ""));
        return names.append(')').toString();
    }

    private static void fact(StringBuilder html, String name, String value, String kind) {
        html.append("<div class=\"fact ")
                .append(kind)
                .append("\"><dt>")
                .append(name)
                .append("</dt><dd>")
                .append(value)
                .append("</dd></div>");
    }

    private static String orUnknown(String value) {
        return value == null ? Format.UNKNOWN : value;
    }
}
