package dev.lsr.consumer.testing;

import dev.lsr.consumer.cli.ConsumerCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs the {@code consumer} command in-process with captured stdout and stderr. */
public final class Cli {

    /** What one invocation printed and returned. */
    public record Result(int exitCode, String out, String err) {

        public List<String> outLines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final List<String> globalArgs;
    private final Clock clock;

    public Cli(Clock clock, String... globalArgs) {
        this.clock = clock;
        this.globalArgs = List.of(globalArgs);
    }

    /** Kafka at {@code bootstrapServers}, chunk topic {@code topic}. */
    public static Cli against(String bootstrapServers, String topic) {
        return new Cli(
                Clock.systemUTC(), "--bootstrap-servers", bootstrapServers, "--topic", topic, "--timeout", "20s");
    }

    public Result run(String... args) {
        List<String> all = new ArrayList<>();
        // subcommand first, then the inherited global options it accepts
        all.add(args[0]);
        all.addAll(globalArgs);
        all.addAll(Arrays.asList(args).subList(1, args.length));
        return runExactly(all.toArray(String[]::new));
    }

    public Result runExactly(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ConsumerCli.mainNoExit(args, new PrintWriter(out, true), new PrintWriter(err, true), clock);
        return new Result(code, out.toString(), err.toString());
    }
}
