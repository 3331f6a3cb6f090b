package dev.lsr.consumer.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lsr.chunklog.Json;
import dev.lsr.consumer.analytics.AgentStats;
import dev.lsr.consumer.cli.internal.TextTable;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code consumer stats}: the run summaries aggregated per agent. */
@Command(
        name = "stats",
        description = "Per agent: p50/p95/p99 time to first content and duration, errors, tokens, tools.")
final class StatsCommand extends SummaryCommand {

    enum Format {
        table,
        json
    }

    @Option(names = "--format", defaultValue = "table", description = "table (default) or json.")
    Format format;

    @Override
    public Integer call() {
        Summaries result = summaries();
        List<AgentStats> rows = AgentStats.of(result.summaries());
        if (format == Format.json) {
            try {
                out().println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(rows));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            TextTable table = new TextTable(
                    "AGENT",
                    "RUNS",
                    "ERRORS",
                    "ERROR%",
                    "TTFC P50/P95/P99 MS",
                    "DURATION P50/P95/P99 MS",
                    "TOKENS IN",
                    "TOKENS OUT",
                    "TOOL CALLS");
            for (AgentStats row : rows) {
                table.row(
                        row.agentId(),
                        row.runs(),
                        row.errors(),
                        String.format(Locale.ROOT, "%.1f", row.errorRate() * 100),
                        percentiles(row.timeToFirstContentMs()),
                        percentiles(row.durationMs()),
                        row.inputTokens(),
                        row.outputTokens(),
                        row.toolCalls());
            }
            table.print(out());
        }
        out().flush();
        return result.exitCode();
    }

    private static String percentiles(AgentStats.Percentiles p) {
        return p == null ? "-" : p.p50() + "/" + p.p95() + "/" + p.p99();
    }
}
