package dev.lsr.settings;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one exit-code table of every tool: a number means the same thing whichever tool returns it.
 * The recorder's codes (0 to 3) are those it has always documented; the consumer's "not found" moved
 * from 3 (the recorder's "fenced") to {@link #NOT_FOUND}. {@code docs/operations.md} lists this table
 * (a test checks it).
 */
public enum ExitCode {
    OK(0, "done (a daemon: stopped cleanly, on SIGTERM or SIGINT too)", Tool.values()),
    FAILED(
            1,
            "failed: one line on stderr says why (the consumer: an internal error, the line names the exception)",
            Tool.values()),
    USAGE(
            2,
            "bad command line or configuration, one line naming the setting (the recorder: also a failed Letta"
                    + " start check; the consumer: also Kafka refusing its credentials or an ACL)",
            Tool.values()),
    FENCED(3, "fenced: another recorder with the same transactional ids took over", Tool.RECORDER),
    BAD_INPUT(4, "an input file cannot be read", Tool.CONSUMER),
    UNAVAILABLE(5, "Kafka unreachable within the timeout, or the embedded broker cannot start", Tool.CONSUMER),
    PROBLEMS(
            6,
            "done, but the log had problems (skipped records, gaps, truncated runs, rejected chunks, offsets deleted"
                    + " before they were read), listed on stderr",
            Tool.CONSUMER),
    NOT_FOUND(7, "the run, conversation or topic asked for is not in the log", Tool.CONSUMER);

    /** The command-line tools that exit with these codes. */
    public enum Tool {
        RECORDER,
        CONSUMER,
        LETTA_SIM
    }

    private final int code;
    private final String meaning;
    private final Set<Tool> tools;

    ExitCode(int code, String meaning, Tool... tools) {
        this.code = code;
        this.meaning = meaning;
        this.tools = Set.copyOf(EnumSet.of(tools[0], tools));
    }

    /** The process exit status. */
    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    /** True when {@code tool} exits with this code. */
    public boolean usedBy(Tool tool) {
        return tools.contains(tool);
    }

    /** {@code code -> meaning} of the codes {@code tool} uses, in order: the exit-code list of its help. */
    public static Map<String, String> helpList(Tool tool) {
        Map<String, String> list = new LinkedHashMap<>();
        for (ExitCode exitCode : values()) {
            if (exitCode.usedBy(tool)) {
                list.put(String.valueOf(exitCode.code), exitCode.meaning);
            }
        }
        return list;
    }
}
