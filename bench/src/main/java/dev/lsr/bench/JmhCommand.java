package dev.lsr.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** Runs the JMH benchmarks in this jar; every argument goes to JMH ({@code jmh -h} lists them). */
@Command(
        name = "jmh",
        description = "Runs the JMH hot-path benchmarks; arguments are JMH's own (e.g. -f 1 -wi 2 -i 3 SseParse).")
final class JmhCommand implements Callable<Integer> {

    @Unmatched
    private List<String> jmhArguments = new ArrayList<>();

    @Override
    public Integer call() throws RunnerException, java.io.IOException {
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(jmhArguments.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            System.err.println("jmh: " + e.getMessage());
            return 2;
        }
        if (options.shouldHelp()) {
            options.showHelp();
            return 0;
        }
        if (options.shouldList()) {
            new Runner(options).list();
            return 0;
        }
        return new Runner(options).run().isEmpty() ? 1 : 0;
    }
}
