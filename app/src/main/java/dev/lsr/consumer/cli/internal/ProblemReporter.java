package dev.lsr.consumer.cli.internal;

import dev.lsr.consumer.cli.ExitCodes;
import dev.lsr.consumer.projection.TerminalText;
import dev.lsr.consumer.reader.ReadProblem;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.reader.ReplayListener;
import dev.lsr.consumer.reader.ReplayStats;
import java.io.PrintWriter;

/**
 * Passes a replay on to a listener and prints each problem as one warning line on stderr (the
 * first {@value #MAX_LINES}; then only a count), and at the end a summary line when there were any.
 */
public final class ProblemReporter implements ReplayListener {

    static final int MAX_LINES = 20;

    private final ReplayListener delegate;
    private final PrintWriter err;
    private final Runnable beforePrint;
    private long problems;

    /**
     * @param beforePrint called before a line is printed (e.g. to clear a progress bar)
     */
    public ProblemReporter(ReplayListener delegate, PrintWriter err, Runnable beforePrint) {
        this.delegate = delegate;
        this.err = err;
        this.beforePrint = beforePrint;
    }

    /**
     * Prints the problems, then hands the event on; repeats the reader dropped are not handed on
     * (as before the sealed event: the commands' folds see delivered records only).
     */
    @Override
    public void onEvent(ReplayEvent event) {
        switch (event) {
            case ReplayEvent.Chunk chunk -> {
                if (chunk.isRepeat()) {
                    return;
                }
            }
            case ReplayEvent.Lifecycle lifecycle -> {
                if (lifecycle.isRepeat()) {
                    return;
                }
                lifecycle.problem().ifPresent(this::report);
            }
            case ReplayEvent.Gap gap -> report(gap.problem());
            case ReplayEvent.Unreadable unreadable -> report(unreadable.problem());
            case ReplayEvent.End end -> {
                if (end.truncation() != null) {
                    report(end.truncation());
                }
            }
        }
        delegate.onEvent(event);
    }

    private void report(ReadProblem problem) {
        problems++;
        if (problems <= MAX_LINES) {
            beforePrint.run();
            err.println("consumer: warning: " + TerminalText.line(problem.describe()));
            err.flush();
        }
    }

    /** Prints the summary of a finished replay and returns {@link ExitCodes#OK} or {@link ExitCodes#PROBLEMS}. */
    public int finish(ReplayStats stats) {
        if (problems > MAX_LINES) {
            err.println("consumer: warning: " + (problems - MAX_LINES) + " more problems not shown");
        }
        return ProblemsExitCode.of(stats, err);
    }
}
