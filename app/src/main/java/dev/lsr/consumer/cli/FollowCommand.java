package dev.lsr.consumer.cli;

import dev.lsr.consumer.cli.internal.LogSession;
import dev.lsr.consumer.cli.internal.ProblemsExitCode;
import dev.lsr.consumer.cli.internal.RunEventLines;
import dev.lsr.consumer.reader.ChunkLogReader;
import dev.lsr.consumer.reader.ReadProblem;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.reader.ReplayListener;
import dev.lsr.consumer.reader.ReplayStats;
import dev.lsr.consumer.reader.RunFilter;
import dev.lsr.consumer.reader.RunRecord;
import dev.lsr.kernel.Signals;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code consumer follow}: a live tail, one line per run event, until Ctrl-C (or {@code --max-runs}). Exits as a
 * bounded replay does: 6 when it printed problems, else 0.
 */
@Command(name = "follow", description = "Tail the log live: one line per run event, until Ctrl-C.")
final class FollowCommand extends LogCommand {

    @Option(names = "--from-beginning", description = "Start at the beginning of the log, not at its end.")
    boolean fromBeginning;

    @Option(
            names = "--max-runs",
            paramLabel = "N",
            converter = ConsumerCli.PositiveIntConverter.class,
            description = "Stop after N runs have ended.")
    Integer maxRuns;

    @Option(names = "--agent", description = "Only runs of this agent.")
    String agent;

    @Option(names = "--conversation", description = "Only runs of this conversation.")
    String conversation;

    @Override
    public Integer call() {
        PrintWriter out = out();
        RunEventLines lines = new RunEventLines();
        CountDownLatch done = new CountDownLatch(1);
        try {
            return ProblemsExitCode.of(follow(out, lines, done), err());
        } finally {
            done.countDown();
        }
    }

    private ReplayStats follow(PrintWriter out, RunEventLines lines, CountDownLatch done) {
        try (LogSession session = cli.openSession();
                ChunkLogReader reader = session.reader()) {
            ReplayListener printer = new ReplayListener() {
                private int ended;

                @Override
                public void onEvent(ReplayEvent event) {
                    switch (event) {
                        case ReplayEvent.Gap gap -> onProblem(gap.problem());
                        case ReplayEvent.Unreadable unreadable -> onProblem(unreadable.problem());
                        case ReplayEvent.Lifecycle lifecycle
                        when lifecycle.problem().isPresent() -> {
                            onProblem(lifecycle.problem().get());
                            onRecord(lifecycle.delivered());
                        }
                        case ReplayEvent.End end -> {
                            if (end.truncation() != null) {
                                onProblem(end.truncation());
                            }
                            onRunEnd();
                        }
                        default -> {
                            if (event.delivered() != null) {
                                onRecord(event.delivered());
                            }
                        }
                    }
                }

                private void onRecord(RunRecord record) {
                    String line = lines.lineFor(record);
                    if (line != null) {
                        out.println(line);
                        out.flush();
                    }
                }

                private void onProblem(ReadProblem problem) {
                    out.println(RunEventLines.lineFor(problem));
                    out.flush();
                }

                private void onRunEnd() {
                    if (maxRuns != null && ++ended >= maxRuns) {
                        reader.stop();
                    }
                }
            };
            // SIGTERM/SIGINT stop the follow and it returns its own exit code; where signals cannot be handled, a
            // shutdown hook stops it and waits for its last lines (the status is then the JVM's)
            Signals.onTermination(reader::stop, () -> {
                reader.stop();
                awaitQuietly(done);
            });
            // a record in another partition than its run's is a problem, not part of the run, as in a bounded replay
            return reader.follow(
                    RunFilter.all().withAgent(agent).withConversation(conversation),
                    runPartitions(reader),
                    printer,
                    fromBeginning,
                    () -> {});
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
