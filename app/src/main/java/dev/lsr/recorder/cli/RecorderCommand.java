package dev.lsr.recorder.cli;

import dev.lsr.cli.CommandLineErrors;
import dev.lsr.kernel.LifecycleState;
import dev.lsr.kernel.Signals;
import dev.lsr.recorder.LettaHeaders;
import dev.lsr.recorder.RecorderConfig;
import dev.lsr.recorder.RecorderDaemon;
import dev.lsr.recorder.RecorderFailure;
import dev.lsr.recorder.RecorderSettings;
import dev.lsr.settings.ExitCode;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The recorder's command line: {@code main -> mainNoExit}, options generated from {@link ConfigKey},
 * terse errors on stderr and the exit codes of {@link ExitCode}: 0 stopped cleanly (also after
 * SIGTERM), 1 failed, 2 bad usage or configuration (also a Letta URL that is not Letta, or a wrong API
 * key: the start check), 3 fenced by another recorder with the same transactional ids.
 * Metrics are logged every {@code --metrics-interval} (logger {@code dev.lsr.recorder.metrics}) and served,
 * with the health probes, on {@code --http-port} ({@link ScrapedMetrics}).
 */
public final class RecorderCommand {

    public static final int OK = ExitCode.OK.code();
    public static final int FAILED = ExitCode.FAILED.code();
    public static final int USAGE = ExitCode.USAGE.code();
    public static final int FENCED = ExitCode.FENCED.code();

    private static final String CONFIG = "--config";
    private static final String KAFKA_PROPERTY = "--kafka-property";
    private static final String NO_WATCH = "--no-watch";
    private static final String DEMO = "--demo";

    private RecorderCommand() {}

    public static void main(String[] args) {
        System.exit(mainNoExit(args, System.getenv(), System.out, System.err, RecorderCommand::daemon));
    }

    /** The CLI's wiring: a daemon with real parts that records its metrics in {@code metrics}. */
    public static RecorderDaemon.Builder daemon(RecorderConfig config, MeterRegistry metrics) {
        return RecorderDaemon.builder(config).meterRegistry(metrics);
    }

    /**
     * Runs the recorder until it stops and returns the exit code.
     *
     * @param daemons makes the daemon's builder from the parsed config and the CLI's meter registry
     *                (tests pass their own wiring; the demo wires its own daemon); the CLI adds the Kafka
     *                it runs when none is configured ({@link EmbeddedKafka}) and its failure callback
     */
    public static int mainNoExit(
            String[] args,
            Map<String, String> env,
            PrintStream out,
            PrintStream err,
            BiFunction<RecorderConfig, MeterRegistry, RecorderDaemon.Builder> daemons) {
        CommandLine commandLine = new CommandLine(spec());
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        RecorderConfig config;
        boolean demo;
        try {
            ParseResult parsed = commandLine.parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return OK;
            }
            config = config(parsed, env);
            demo = demoAskedFor(parsed, env, config);
        } catch (CommandLine.ParameterException e) {
            err.println("recorder: " + CommandLineErrors.describe(e));
            err.println("Try 'recorder --help'.");
            return USAGE;
        } catch (ConfigException e) {
            err.println("recorder: " + e.getMessage());
            return USAGE;
        }
        if (demo) {
            return DemoCommand.run(config, out, err);
        }
        try {
            ScrapedMetrics.limitConnections(config.httpPort()); // consumer serve's rule, before Kafka or the daemon
        } catch (ConfigException e) {
            err.println("recorder: " + e.getMessage());
            return USAGE;
        }
        if (config.embeddedBroker()) {
            DemoLog.release(config.dataDir()); // a recorder's log from now on: no demo continues its runs
        }
        RecorderDaemon daemon;
        AtomicReference<RecorderFailure> failed = new AtomicReference<>();
        try (LoggedMetrics metrics = LoggedMetrics.start(config.metricsInterval());
                ScrapedMetrics scraped = ScrapedMetrics.over(metrics.registry(), config.httpPort());
                EmbeddedKafka kafka = EmbeddedKafka.of(config)) {
            daemon = daemons.apply(config, scraped.registry())
                    .kafka(kafka::bootstrapServers)
                    .onFailure(failed::set)
                    .build();
            scraped.serve(RecorderReadiness.of(daemon, scraped.registry()));
            Signals.onTermination(daemon::requestStop, daemon::close);
            daemon.run();
        }
        if (daemon.state() == LifecycleState.STOPPED) {
            return OK;
        }
        // After the metrics' closing lines, so that why it failed is the last line on stderr.
        return failed(failed.get(), err);
    }

    /** Says why on stderr, in one line, and returns the exit code of the failure. */
    static int failed(RecorderFailure failure, PrintStream err) {
        err.println("recorder: " + (failure == null ? "failed" : failure.message()));
        return exitCode(failure);
    }

    /** The one mapping of failures to exit codes (see the class comment). */
    static int exitCode(RecorderFailure failure) {
        return switch (failure) {
            case null -> FAILED;
            case RecorderFailure.Fenced fenced -> FENCED;
            case RecorderFailure.LettaCheckFailed configuration -> USAGE;
            case RecorderFailure.CredentialsRejected rejected -> FAILED;
            case RecorderFailure.LogFailed log -> FAILED;
            case RecorderFailure.Unexpected unexpected -> FAILED;
        };
    }

    /**
     * A comma in a {@code --letta-header} value would split it into two headers (the setting is a comma-separated
     * list, as in {@code LETTA_HEADERS} and the properties file): the part after the comma went to Letta as a header
     * of its own, and was logged when its "name" did not look secret. Refused, without quoting the value.
     */
    private static void refuseCommas(List<?> headers) {
        for (Object header : headers) {
            String pair = String.valueOf(header);
            if (pair.indexOf(',') >= 0) {
                int eq = pair.indexOf('=');
                String name = eq > 0 ? pair.substring(0, eq).strip() : "a header";
                throw new ConfigException(RecorderSettings.LETTA_HEADERS.describe() + ": the value of "
                        + (eq > 0 && !LettaHeaders.looksSecret(name) ? name : "a header")
                        + " holds a comma, which separates headers in this setting");
            }
        }
    }

    static RecorderConfig config(ParseResult parsed, Map<String, String> env) {
        Map<ConfigKey, String> flags = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            if (parsed.hasMatchedOption(key.flag())) {
                Object value = parsed.matchedOptionValue(key.flag(), null);
                if (key == ConfigKey.LETTA_HEADERS && value instanceof List<?> headers) {
                    refuseCommas(headers);
                }
                flags.put(
                        key,
                        value instanceof List<?> list
                                ? String.join(
                                        ",", list.stream().map(String::valueOf).toList())
                                : String.valueOf(value));
            }
        }
        if (parsed.hasMatchedOption(NO_WATCH)) {
            flags.put(ConfigKey.WATCH, "false");
        }
        Path file = parsed.matchedOptionValue(CONFIG, null);
        Properties properties = file == null ? new Properties() : ConfigParser.load(file);
        List<String> kafka = parsed.matchedOptionValue(KAFKA_PROPERTY, List.of());
        return new ConfigParser(flags, env, properties).parse(kafka);
    }

    /**
     * The demo runs when no Letta URL is given, on the embedded broker unless its data directory holds a
     * recorder's log ({@link DemoLog}); on a Kafka of the user's only with {@code --demo}. A deployment whose Letta URL went missing (an unset variable) would otherwise run the demo on
     * its real log: it fences the real recorder and continues its active runs against letta-sim, which knows none of
     * them and so ends each with {@code run.gone}.
     */
    private static boolean demoAskedFor(ParseResult parsed, Map<String, String> env, RecorderConfig config) {
        boolean asked = parsed.hasMatchedOption(DEMO);
        boolean lettaUrl = lettaUrlGiven(parsed, env);
        if (asked && lettaUrl) {
            throw new ConfigException(DEMO + " records letta-sim's generated runs in place of Letta's: leave out the"
                    + " Letta URL, or " + DEMO + " to record that Letta");
        }
        if (lettaUrl || asked) {
            return !lettaUrl;
        }
        String noLettaUrl = "no Letta URL (" + ConfigKey.LETTA_URL.flag() + ", $" + ConfigKey.LETTA_URL.env() + " or "
                + ConfigKey.LETTA_URL.property() + ")";
        if (!config.embeddedBroker()) {
            throw new ConfigException(noLettaUrl + ", but a Kafka to record into: give the Letta URL, or " + DEMO
                    + " to run the demo (letta-sim's generated runs) on this Kafka");
        }
        if (!DemoLog.mayRecordInto(config.dataDir())) {
            throw new ConfigException(noLettaUrl + ", and the embedded broker's data directory " + config.dataDir()
                    + " holds a recorder's log: give the Letta URL, another " + ConfigKey.DATA_DIR.flag()
                    + " for the demo, or " + DEMO + " to run the demo on this log");
        }
        return true;
    }

    /** The Letta URL came from a flag, the environment or the properties file (else: the demo). */
    static boolean lettaUrlGiven(ParseResult parsed, Map<String, String> env) {
        Path file = parsed.matchedOptionValue(CONFIG, null);
        return parsed.hasMatchedOption(ConfigKey.LETTA_URL.flag())
                || env.containsKey(ConfigKey.LETTA_URL.env())
                || (file != null && ConfigParser.load(file).containsKey(ConfigKey.LETTA_URL.property()));
    }

    static CommandSpec spec() {
        CommandSpec spec = CommandSpec.create()
                .name("recorder")
                .mixinStandardHelpOptions(true)
                .version("recorder 0.1.0");
        spec.usageMessage()
                .description(
                        "Records Letta agent runs into Kafka exactly once.",
                        "With no Letta URL (flag, $LETTA_BASE_URL or properties file) it runs a demo:",
                        "letta-sim in-process with a generated workload, recorded on the embedded broker.",
                        "Watches for active background runs, drains each run's stream,",
                        "resumes after disconnects and after restarts.",
                        "The API key comes from LETTA_API_KEY or --api-key-file; it is never logged.");
        spec.usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCode.helpList(ExitCode.Tool.RECORDER));
        spec.addOption(OptionSpec.builder(CONFIG)
                .paramLabel("FILE")
                .type(Path.class)
                .description("a properties file with the settings below (keys in brackets)")
                .build());
        for (ConfigKey key : ConfigKey.values()) {
            OptionSpec.Builder option = OptionSpec.builder(key.flag())
                    .paramLabel(key.repeatable() ? "ID" : "VALUE")
                    .description(key.doc() + " [" + key.property() + ", $" + key.env()
                            + (key.defaultValue() == null || key.defaultValue().isEmpty()
                                    ? ""
                                    : ", default " + key.defaultValue())
                            + "]");
            if (key.repeatable()) {
                option.type(List.class).auxiliaryTypes(String.class);
            } else if ("false".equals(key.defaultValue())) {
                // a switch: the flag alone turns it on (a value still works, as in the properties file)
                option.type(String.class).arity("0..1").fallbackValue("true");
            } else {
                option.type(String.class);
            }
            spec.addOption(option.build());
        }
        spec.addOption(OptionSpec.builder(DEMO)
                .arity("0")
                .type(boolean.class)
                .description("run the demo on the Kafka given (without a Letta URL the demo runs only on the"
                        + " embedded broker unless asked for)")
                .build());
        spec.addOption(OptionSpec.builder(NO_WATCH)
                .arity("0")
                .type(boolean.class)
                .description("do not watch; stop once the attached and restored runs have ended")
                .build());
        spec.addOption(OptionSpec.builder(KAFKA_PROPERTY)
                .paramLabel("KEY=VALUE")
                .type(List.class)
                .auxiliaryTypes(String.class)
                .description("a Kafka client property passed through (repeatable; [kafka.property.KEY])")
                .build());
        return spec;
    }
}
