package dev.lsr.consumer.cli;

import dev.lsr.consumer.cli.internal.RunOverviews;
import dev.lsr.consumer.cli.internal.TextTable;
import dev.lsr.consumer.cli.internal.TimeArguments;
import dev.lsr.consumer.reader.RunFilter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code consumer runs}: one table row per run in the log. */
@Command(name = "runs", description = "List the runs in the log: status, agent, start, duration, chunk count.")
final class RunsCommand extends LogCommand {

    @Option(names = "--agent", description = "Only runs of this agent.")
    String agent;

    @Option(names = "--conversation", description = "Only runs of this conversation.")
    String conversation;

    @Option(names = "--since", description = "Only runs started at or after (2026-03-14T17:00:00Z, 2026-03-14, 2h).")
    String since;

    @Option(
            names = "--input",
            arity = "1..*",
            paramLabel = "FILE.jsonl",
            description = "Read chunk files instead of Kafka.")
    List<Path> inputs;

    @Override
    public Integer call() {
        RunFilter filter = RunFilter.all()
                .withAgent(agent)
                .withConversation(conversation)
                .withStartBetween(since == null ? null : TimeArguments.instant(since, cli.clock()), null);
        RunOverviews overviews = new RunOverviews();
        Replayed replayed = replay(filter, overviews, inputs);
        List<RunOverviews.RunOverview> runs = overviews.overviews();
        if (conversation != null && agent == null && since == null) {
            // a conversation asked for, as rebuild --conversation; with an agent or a time it is one filter of several,
            // and nothing matching them is an empty table
            requireFound(!runs.isEmpty(), "conversation " + conversation);
        }
        TextTable table = new TextTable("RUN", "STATUS", "STOP REASON", "AGENT", "STARTED", "DURATION", "CHUNKS");
        for (RunOverviews.RunOverview run : runs) {
            table.row(
                    run.runId(),
                    run.status(),
                    run.stopReason(),
                    run.agentId(),
                    run.start(),
                    TimeArguments.humanDuration(run.duration()),
                    run.chunks());
        }
        table.print(out());
        return replayed.exitCode();
    }
}
