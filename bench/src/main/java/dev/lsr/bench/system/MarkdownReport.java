package dev.lsr.bench.system;

import java.util.List;
import java.util.Locale;

/** Renders the reports of a run as one markdown document: machine, table, count checks, notes. */
public final class MarkdownReport {

    private MarkdownReport() {}

    public static String render(List<ScenarioReport> reports, BenchSettings settings, Machine machine) {
        StringBuilder out = new StringBuilder();
        out.append("## Results (")
                .append(settings.smoke() ? "smoke mode: sizes too small to mean anything" : "full mode")
                .append(", ")
                .append(settings.pairs())
                .append(settings.pairs() == 1 ? " pair" : " pairs")
                .append(")\n\n");
        out.append(String.format(
                Locale.ROOT,
                "Machine: %d cores, %.1f GiB, %s, %s; load average at the end %s (shared with other builds).%n%n",
                machine.cores(),
                machine.memoryGiB(),
                machine.jdk(),
                machine.os(),
                Machine.loadAverages()));
        out.append("| scenario | metric | baseline | ours | ours/baseline | target | met |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (ScenarioReport report : reports) {
            for (ResultRow row : report.rows()) {
                out.append("| ")
                        .append(report.scenario().cliName())
                        .append(" | ")
                        .append(row.metric())
                        .append(" | ")
                        .append(row.baseline() == null ? "–" : row.baseline().format(row.decimals()))
                        .append(" | ")
                        .append(row.ours().format(row.decimals()))
                        .append(" | ")
                        .append(row.ratio() == null ? "–" : row.ratio().format(2))
                        .append(" | ")
                        .append(row.target().isEmpty() ? "–" : row.target())
                        .append(" | ")
                        .append(
                                switch (row.verdict()) {
                                    case MET -> "yes";
                                    case MISSED -> "**no**";
                                    case NO_TARGET -> "–";
                                })
                        .append(" |\n");
            }
        }
        out.append("\nMedian over the pairs, range (min–max) in brackets; the ratio is taken per pair.\n\n");
        for (ScenarioReport report : reports) {
            out.append("- **").append(report.scenario().cliName()).append("**: ");
            out.append(String.join(
                    "; ", report.checks().stream().map(CountCheck::toString).toList()));
            if (!report.notes().isEmpty()) {
                out.append(". ").append(String.join(" ", report.notes()));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
