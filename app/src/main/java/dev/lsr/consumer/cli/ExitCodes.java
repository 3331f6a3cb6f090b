package dev.lsr.consumer.cli;

/** The exit codes of the {@code consumer} command; also listed in {@code docs/consumer.md}. */
public final class ExitCodes {

    /** Done. */
    public static final int OK = 0;
    /** An unexpected internal error (a bug): the one-line message names the exception. */
    public static final int SOFTWARE = 1;
    /** A bad command line. */
    public static final int USAGE = 2;
    /** The run, conversation or topic asked for is not in the log. */
    public static final int NOT_FOUND = 3;
    /** An input file cannot be read. */
    public static final int BAD_INPUT = 4;
    /** Kafka cannot be reached (or the embedded broker cannot start) within the timeout. */
    public static final int UNAVAILABLE = 5;
    /** Done, but the log had problems (skipped records, gaps, truncated runs), listed on stderr. */
    public static final int PROBLEMS = 6;

    private ExitCodes() {
    }
}
