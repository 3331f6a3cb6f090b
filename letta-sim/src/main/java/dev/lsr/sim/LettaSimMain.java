package dev.lsr.sim;

import dev.lsr.settings.ExitCode;
import dev.lsr.sim.internal.cli.SimCommand;
import picocli.CommandLine;

/**
 * Runs the simulator standalone: {@code java -jar letta-sim-<v>-all.jar --port 8283 --runs DIR ...}
 * ({@code --help} lists the options). Stops on SIGINT/SIGTERM.
 */
public final class LettaSimMain {

    private LettaSimMain() {}

    public static void main(String[] args) {
        System.exit(mainNoExit(args));
    }

    /** Parses and runs; returns the exit code of {@link ExitCode} (usage errors: 2, startup failures: 1). */
    public static int mainNoExit(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "letta-sim-logback.xml");
        }
        CommandLine commandLine = new CommandLine(new SimCommand());
        commandLine
                .getCommandSpec()
                .exitCodeOnSuccess(ExitCode.OK.code())
                .exitCodeOnInvalidInput(ExitCode.USAGE.code())
                .usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCode.helpList(ExitCode.Tool.LETTA_SIM));
        commandLine.setExecutionExceptionHandler((failure, line, parsed) -> {
            line.getErr().println("letta-sim: " + failure.getMessage());
            return ExitCode.FAILED.code();
        });
        return commandLine.execute(args);
    }
}
