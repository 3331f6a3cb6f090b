package dev.lsr.bench;

import dev.lsr.bench.system.SystemCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The benchmark launcher: {@code jmh} runs the hot-path microbenchmarks, {@code system} the
 * whole-system scenarios. See {@code docs/benchmarks.md}.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Letta Stream Recorder benchmarks.",
        subcommands = {JmhCommand.class, SystemCommand.class})
public final class BenchMain {

    public static void main(String[] args) {
        System.exit(mainNoExit(args));
    }

    /** Runs the command line and returns the exit code. */
    public static int mainNoExit(String... args) {
        return new CommandLine(new BenchMain()).execute(args);
    }
}
