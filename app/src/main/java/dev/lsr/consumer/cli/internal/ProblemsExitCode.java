package dev.lsr.consumer.cli.internal;

import dev.lsr.consumer.cli.ExitCodes;
import dev.lsr.consumer.reader.ReplayStats;
import java.io.PrintWriter;

/**
 * The exit code of a read that ended (a bounded replay, or a follow stopped by {@code --max-runs} or a signal):
 * {@link ExitCodes#PROBLEMS} when it reported problems, with the summary line on stderr, else {@link ExitCodes#OK}.
 */
public final class ProblemsExitCode {

    private ProblemsExitCode() {}

    public static int of(ReplayStats stats, PrintWriter err) {
        if (!stats.hasProblems()) {
            return ExitCodes.OK;
        }
        err.println("consumer: " + stats.summaryLine());
        err.flush();
        return ExitCodes.PROBLEMS;
    }
}
