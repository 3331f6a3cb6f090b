package dev.lsr.viewer.internal.html;

import dev.lsr.viewer.model.RunQuery;
import dev.lsr.viewer.model.RunRow;
import dev.lsr.viewer.model.RunsPage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The runs page: filters, the runs newest first, pages. */
public final class RunsPageHtml {

    private RunsPageHtml() {}

    /** @param version the catalog version {@code runs} was read at: the page's event stream starts there */
    public static String page(RunsPage runs, long version) {
        String query = queryString(runs.query(), runs.query().page());
        return Layout.page(
                "Runs",
                "/events?seen=" + version,
                "/?" + (query.isEmpty() ? "" : query + "&") + "fragment=1",
                live(runs));
    }

    /** The part a live page replaces: everything below the header. */
    public static String live(RunsPage runs) {
        StringBuilder html = new StringBuilder(4096);
        html.append("<h1>Runs <span class=\"count\" id=\"run-count\">")
                .append(runs.matching())
                .append(runs.matching() == runs.runsInLog() ? "" : " of " + runs.runsInLog())
                .append("</span></h1>\n");
        filters(html, runs);
        if (runs.rows().isEmpty()) {
            html.append("<p class=\"empty\">")
                    .append(runs.runsInLog() == 0 ? "No runs in the log yet." : "No run matches these filters.")
                    .append("</p>\n");
        } else {
            table(html, runs.rows());
            pager(html, runs);
        }
        return html.toString();
    }

    private static void filters(StringBuilder html, RunsPage runs) {
        RunQuery q = runs.query();
        html.append("<form class=\"filters\" method=\"get\" action=\"/\">\n");
        select(html, "agent", "agent", runs.agents(), q.agentId());
        field(html, "conversation", "conversation", q.conversationId(), "conv-\u2026");
        select(html, "status", "status", runs.statuses(), q.status());
        select(html, "stop_reason", "stop reason", runs.stopReasons(), q.stopReason());
        field(html, "since", "started since", time(q.since()), "2026-03-14T17:00Z");
        field(html, "until", "started before", time(q.until()), "2026-03-14");
        html.append("<div class=\"actions\"><button type=\"submit\">Filter</button> <a href=\"/\">clear</a></div>\n")
                .append("</form>\n");
    }

    private static String time(Instant at) {
        return at == null ? null : at.toString();
    }

    private static void select(StringBuilder html, String name, String label, List<String> options, String chosen) {
        html.append("<label>")
                .append(label)
                .append(" <select name=\"")
                .append(name)
                .append("\"><option value=\"\">any</option>");
        List<String> all = new ArrayList<>(options);
        if (chosen != null && !all.contains(chosen)) {
            all.add(chosen);
        }
        for (String option : all) {
            html.append("<option value=\"")
                    .append(Html.text(option))
                    .append('"')
                    .append(option.equals(chosen) ? " selected" : "")
                    .append('>')
                    .append(Html.text(option))
                    .append("</option>");
        }
        html.append("</select></label>\n");
    }

    private static void field(StringBuilder html, String name, String label, String value, String placeholder) {
        html.append("<label>")
                .append(label)
                .append(" <input name=\"")
                .append(name)
                .append("\" value=\"")
                .append(Html.text(value))
                .append("\" placeholder=\"")
                .append(Html.escape(placeholder))
                .append("\"></label>\n");
    }

    private static void table(StringBuilder html, List<RunRow> rows) {
        html.append("<div class=\"scroll\"><table class=\"runs\">\n<thead><tr>")
                .append("<th>status</th><th>run</th><th>agent</th><th>start (UTC)</th><th class=\"num\">duration</th>")
                .append("<th class=\"num\">first content</th><th class=\"num\">tokens in / out</th>")
                .append("<th class=\"num\">tool calls</th><th class=\"num\">resumes</th><th class=\"num\">gaps</th>")
                .append("</tr></thead>\n<tbody>\n");
        for (RunRow row : rows) {
            String href = "/runs/" + Html.url(row.runId());
            html.append("<tr class=\"run\" data-run-id=\"")
                    .append(Html.text(row.runId()))
                    .append("\"><td>")
                    .append(Badges.status(row.status(), row.stopReason(), row.recording()))
                    .append("</td><td class=\"id\"><a href=\"")
                    .append(href)
                    .append("\">")
                    .append(Html.text(row.runId()))
                    .append("</a></td><td class=\"id\">")
                    .append(Html.text(row.agentId() == null ? Format.UNKNOWN : row.agentId()))
                    .append("</td><td><time datetime=\"")
                    .append(Format.isoTime(row.startedAt()))
                    .append("\">")
                    .append(Format.utcTime(row.startedAt()))
                    .append("</time></td><td class=\"num\">")
                    .append(Format.duration(row.durationMs()))
                    .append("</td><td class=\"num\">")
                    .append(Format.duration(row.timeToFirstContentMs()))
                    .append("</td><td class=\"num\">")
                    .append(Format.count(row.inputTokens()))
                    .append(" / ")
                    .append(Format.count(row.outputTokens()))
                    .append("</td><td class=\"num\">")
                    .append(Format.count(row.toolCalls()))
                    .append("</td><td class=\"num")
                    .append(row.resumes() > 0 ? " warn" : "")
                    .append("\">")
                    .append(row.resumes())
                    .append("</td><td class=\"num")
                    .append(row.gaps() > 0 ? " bad" : "")
                    .append("\">")
                    .append(row.gaps())
                    .append("</td></tr>\n");
        }
        html.append("</tbody></table></div>\n");
    }

    private static void pager(StringBuilder html, RunsPage runs) {
        if (runs.pages() <= 1) {
            return;
        }
        int page = runs.query().page();
        html.append("<nav class=\"pager\">");
        if (page > 1) {
            html.append("<a rel=\"prev\" href=\"/?")
                    .append(Html.escape(queryString(runs.query(), page - 1)))
                    .append("\">\u2190 newer</a>");
        }
        html.append("<span>page ")
                .append(page)
                .append(" of ")
                .append(runs.pages())
                .append("</span>");
        if (page < runs.pages()) {
            html.append("<a rel=\"next\" href=\"/?")
                    .append(Html.escape(queryString(runs.query(), page + 1)))
                    .append("\">older \u2192</a>");
        }
        html.append("</nav>\n");
    }

    /**
     * The query as URL parameters, with the given page: URL-encoded, not escaped for HTML (each place that puts it in
     * an attribute escapes it once; escaped here too, {@code &} reached the browser as {@code &amp;}).
     */
    static String queryString(RunQuery q, int page) {
        List<String> parts = new ArrayList<>();
        param(parts, "agent", q.agentId());
        param(parts, "conversation", q.conversationId());
        param(parts, "status", q.status());
        param(parts, "stop_reason", q.stopReason());
        param(parts, "since", time(q.since()));
        param(parts, "until", time(q.until()));
        if (page > 1) {
            parts.add("page=" + page);
        }
        return String.join("&", parts);
    }

    private static void param(List<String> parts, String name, String value) {
        if (value != null) {
            parts.add(name + "=" + Html.url(value));
        }
    }
}
