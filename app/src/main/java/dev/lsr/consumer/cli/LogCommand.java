package dev.lsr.consumer.cli;

import dev.lsr.consumer.cli.internal.LogSession;
import dev.lsr.consumer.cli.internal.ProblemReporter;
import dev.lsr.consumer.cli.internal.ProgressBar;
import dev.lsr.consumer.projection.TerminalText;
import dev.lsr.consumer.reader.ChunkFileReader;
import dev.lsr.consumer.reader.ChunkLogReader;
import dev.lsr.consumer.reader.ReplayListener;
import dev.lsr.consumer.reader.ReplayProgress;
import dev.lsr.consumer.reader.ReplayStats;
import dev.lsr.consumer.reader.RunFilter;
import dev.lsr.consumer.reader.RunPartitions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every log-reading subcommand shares: the global options, output streams, one replay. */
abstract class LogCommand implements Callable<Integer> {

    @ParentCommand
    ConsumerCli cli;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The result of a replay: its counts and the exit code it calls for (0 or 6). */
    record Replayed(ReplayStats stats, int exitCode) {}

    /** Replays the chunk topic, or the given files when {@code inputs} is not empty. */
    Replayed replay(RunFilter filter, ReplayListener listener, List<Path> inputs) {
        ProgressBar bar = cli.progressWanted() ? new ProgressBar(err(), cli.clock()) : null;
        ProblemReporter reporter = new ProblemReporter(listener, err(), bar == null ? () -> {} : bar::clear);
        ReplayStats stats;
        if (inputs != null && !inputs.isEmpty()) {
            stats = readFiles(inputs, filter, reporter);
        } else {
            try (LogSession session = cli.openSession();
                    ChunkLogReader reader = session.reader()) {
                stats = reader.replay(filter, runPartitions(reader), reporter, bar == null ? ReplayProgress.NONE : bar);
            }
        }
        return new Replayed(stats, reporter.finish(stats));
    }

    /**
     * Where the runs' records are, so that a record in another partition than its run's is skipped, as the analytics
     * job does ({@link RunPartitions}). An unreadable layout record is a warning, not the end of the command: every
     * record is then read where it is, as in a log without one. The one rule for the bounded replays and
     * {@code follow}.
     */
    RunPartitions runPartitions(ChunkLogReader reader) {
        try {
            return reader.runPartitions();
        } catch (RunPartitions.UnreadableLayoutException e) {
            err().println("consumer: warning: " + TerminalText.line(e.getMessage())
                    + "; every record is read where it is");
            return RunPartitions.UNKNOWN;
        }
    }

    private static ReplayStats readFiles(List<Path> inputs, RunFilter filter, ReplayListener listener) {
        for (Path input : inputs) {
            if (!Files.isReadable(input)) {
                throw new CliException(ExitCodes.BAD_INPUT, "cannot read " + input);
            }
        }
        try {
            return ChunkFileReader.read(inputs, filter, listener);
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "cannot read " + e.getFile(), e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "cannot read input: " + e.getMessage(), e);
        }
    }

    /** Fails with {@link ExitCodes#NOT_FOUND} when a replay for one run found none of it. */
    static void requireFound(boolean found, String what) {
        if (!found) {
            throw new CliException(ExitCodes.NOT_FOUND, what + " is not in the log");
        }
    }
}
