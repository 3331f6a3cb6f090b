package dev.lsr.consumer.cli;

import dev.lsr.consumer.cli.internal.SummaryCsv;
import dev.lsr.consumer.projection.summary.RunSummaries;
import dev.lsr.consumer.projection.summary.RunSummary;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code consumer summaries}: one run summary per run, as CSV or JSON lines. */
@Command(
        name = "summaries",
        description = "Print one summary per run (status, timing, tokens, tools...) as CSV or JSONL.")
final class SummariesCommand extends SummaryCommand {

    enum Format {
        csv,
        jsonl
    }

    @Option(names = "--format", defaultValue = "csv", description = "csv (default) or jsonl.")
    Format format;

    @Override
    public Integer call() {
        Summaries result = summaries();
        PrintWriter out = out();
        if (format == Format.csv) {
            SummaryCsv.writeHeader(out);
        }
        for (RunSummary summary : result.summaries()) {
            if (format == Format.csv) {
                SummaryCsv.write(out, summary);
            } else {
                out.println(new String(RunSummaries.toJson(summary), StandardCharsets.UTF_8));
            }
        }
        out.flush();
        return result.exitCode();
    }
}
