package dev.lsr.consumer.cli;

import dev.lsr.settings.ExitCode;

/**
 * The exit codes of the {@code consumer} command, as {@code int}s: each is the number of the one
 * table, {@link ExitCode} (listed in {@code docs/operations.md} and {@code docs/consumer.md}).
 */
public final class ExitCodes {

    /** Done. */
    public static final int OK = ExitCode.OK.code();
    /** An unexpected internal error (a bug): the one-line message names the exception. */
    public static final int SOFTWARE = ExitCode.FAILED.code();
    /** A bad command line. */
    public static final int USAGE = ExitCode.USAGE.code();
    /** The run, conversation or topic asked for is not in the log (7; it was 3, the recorder's "fenced"). */
    public static final int NOT_FOUND = ExitCode.NOT_FOUND.code();
    /** An input file cannot be read. */
    public static final int BAD_INPUT = ExitCode.BAD_INPUT.code();
    /** Kafka cannot be reached (or the embedded broker cannot start) within the timeout. */
    public static final int UNAVAILABLE = ExitCode.UNAVAILABLE.code();
    /** Done, but the log had problems (skipped records, gaps, truncated runs), listed on stderr. */
    public static final int PROBLEMS = ExitCode.PROBLEMS.code();

    private ExitCodes() {}
}
