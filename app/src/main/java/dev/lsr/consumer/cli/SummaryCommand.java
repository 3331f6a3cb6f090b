package dev.lsr.consumer.cli;

import dev.lsr.consumer.cli.internal.TimeArguments;
import dev.lsr.consumer.projection.summary.RunSummary;
import dev.lsr.consumer.projection.summary.RunSummaryFold;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.reader.RunFilter;
import dev.lsr.consumer.reader.RunFolds;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** What {@code summaries} and {@code stats} share: which runs, and their summaries from one replay. */
abstract class SummaryCommand extends LogCommand {

    @Option(names = "--since", description = "Only runs started at or after (2026-03-14T17:00:00Z, 2026-03-14, 2h).")
    String since;

    @Option(names = "--until", description = "Only runs started before.")
    String until;

    @Option(names = "--agent", description = "Only runs of this agent.")
    String agent;

    @Option(
            names = "--input",
            arity = "1..*",
            paramLabel = "FILE.jsonl",
            description = "Read chunk files instead of Kafka.")
    List<Path> inputs;

    /**
     * The summaries of the runs asked for, by start time; and the replay's exit code. A run no record of which
     * could be read has none: nothing is known of it to filter or count (its records are reported, exit 6), and
     * {@code runs} and the reader's count of runs leave it out too.
     */
    record Summaries(List<RunSummary> summaries, int exitCode) {}

    Summaries summaries() {
        RunFilter filter = RunFilter.all()
                .withAgent(agent)
                .withStartBetween(
                        since == null ? null : TimeArguments.instant(since, cli.clock()),
                        until == null ? null : TimeArguments.instant(until, cli.clock()));
        RunFolds<RunSummaryFold> feed = new RunFolds<>(run -> new RunSummaryFold(), RunSummaryFold::apply);
        Set<String> read = new HashSet<>();
        Replayed replayed = replay(
                filter,
                event -> {
                    if (event instanceof ReplayEvent.OfRecord) {
                        read.add(event.runId());
                    }
                    feed.onEvent(event);
                },
                inputs);
        List<RunSummary> summaries = feed.folds().entrySet().stream()
                .filter(run -> read.contains(run.getKey()))
                .map(run -> run.getValue().summary())
                .sorted(Comparator.comparing(RunSummary::startedAt, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(RunSummary::runId, Comparator.nullsLast(Comparator.naturalOrder())))
                .toList();
        return new Summaries(summaries, replayed.exitCode());
    }
}
