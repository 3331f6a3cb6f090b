package dev.lsr.consumer.cli;

import dev.lsr.chunklog.TopicConventions;
import dev.lsr.cli.CommandLineErrors;
import dev.lsr.consumer.cli.internal.LogSession;
import dev.lsr.consumer.cli.internal.Terminal;
import dev.lsr.consumer.cli.internal.TimeArguments;
import dev.lsr.consumer.kafka.KafkaClientSettings;
import dev.lsr.consumer.kafka.KafkaRefusedException;
import dev.lsr.consumer.kafka.KafkaUnavailableException;
import dev.lsr.consumer.reader.ChunkTopicNotFoundException;
import dev.lsr.settings.BrokerSettings;
import dev.lsr.settings.ExitCode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code consumer} command: replays the chunk log and prints runs, transcripts, Letta Code
 * buffers, exports and analytics, or runs the analytics job. {@link #main} exits the JVM;
 * {@link #mainNoExit} returns the exit code ({@link ExitCodes}) for embedding and tests.
 */
@Command(
        name = "consumer",
        mixinStandardHelpOptions = true,
        version = "consumer 0.1.0",
        description = "Replays the Letta chunk log: runs, transcripts, Letta Code buffers, exports, analytics.",
        subcommands = {
            RunsCommand.class,
            ShowCommand.class,
            RebuildCommand.class,
            ExportCommand.class,
            SummariesCommand.class,
            StatsCommand.class,
            FollowCommand.class,
            AnalyticsCommand.class,
            ServeCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n")
public final class ConsumerCli {

    @Option(
            names = "--bootstrap-servers",
            scope = ScopeType.INHERIT,
            paramLabel = "HOST:PORT",
            description = "Kafka to read. Absent: start the embedded broker on --data-dir.")
    String bootstrapServers;

    @Option(
            names = "--topic",
            scope = ScopeType.INHERIT,
            defaultValue = TopicConventions.DEFAULT_CHUNK_TOPIC,
            description = "The chunk topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(
            names = "--kafka-property",
            scope = ScopeType.INHERIT,
            paramLabel = "KEY=VALUE",
            description =
                    "A Kafka client property, e.g. security.protocol=SASL_SSL (repeatable; values are never printed).")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(
            names = "--data-dir",
            scope = ScopeType.INHERIT,
            defaultValue = BrokerSettings.DEFAULT_DATA_DIR,
            description = "The embedded broker's data directory, as the recorder's (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    /** The recorder's {@code --embedded-port}: the same broker on the same data, so the same setting. */
    @Option(
            names = "--embedded-port",
            scope = ScopeType.INHERIT,
            paramLabel = "PORT",
            defaultValue = BrokerSettings.DEFAULT_EMBEDDED_PORT,
            converter = EmbeddedPortConverter.class,
            description = BrokerSettings.EMBEDDED_PORT_DOC + ", when reading --data-dir (default: ${DEFAULT-VALUE}).")
    int embeddedPort;

    @Option(
            names = "--timeout",
            scope = ScopeType.INHERIT,
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "How long to wait for Kafka before giving up (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--progress",
            scope = ScopeType.INHERIT,
            negatable = true,
            description = "Show a progress bar on stderr (default: only at a terminal).")
    Boolean progress;

    private static final String LOGBACK_CONFIGURATION = "logback.configurationFile";

    private final Clock clock;

    ConsumerCli(Clock clock) {
        this.clock = clock;
    }

    public static void main(String[] args) {
        if (System.getProperty(LOGBACK_CONFIGURATION) == null) {
            System.setProperty(LOGBACK_CONFIGURATION, "dev/lsr/consumer/cli/logback-cli.xml");
        }
        System.exit(mainNoExit(
                args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), Clock.systemUTC()));
    }

    /** Runs the command line and returns its exit code; never calls {@link System#exit}. */
    public static int mainNoExit(String[] args, PrintWriter out, PrintWriter err, Clock clock) {
        CommandLine commandLine = commandLine(clock);
        commandLine.setOut(out);
        commandLine.setErr(err);
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Kafka refusing this client (credentials, an ACL) wherever it surfaced, as the {@link KafkaRefusedException} the
     * broker probe throws: a configuration to fix (exit 2), not an outage or an internal error.
     */
    private static Exception asRefusal(Exception thrown) {
        if (thrown instanceof KafkaRefusedException || !KafkaRefusedException.isRefusal(thrown)) {
            return thrown;
        }
        return new KafkaRefusedException(KafkaRefusedException.message("Kafka", thrown), thrown);
    }

    static CommandLine commandLine(Clock clock) {
        CommandLine commandLine = new CommandLine(new ConsumerCli(clock));
        commandLine.getCommandSpec().usageMessage().exitCodeList(ExitCode.helpList(ExitCode.Tool.CONSUMER));
        commandLine.setExecutionExceptionHandler((thrown, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            Exception e = asRefusal(thrown);
            int code = switch (e) {
                case CliException cli -> cli.exitCode();
                case KafkaRefusedException r -> ExitCodes.USAGE;
                case KafkaUnavailableException k -> ExitCodes.UNAVAILABLE;
                case ChunkTopicNotFoundException t -> ExitCodes.NOT_FOUND;
                case org.apache.kafka.common.errors.TimeoutException t -> ExitCodes.UNAVAILABLE;
                default -> ExitCodes.SOFTWARE;
            };
            String message = code == ExitCodes.SOFTWARE
                    ? "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    : e.getMessage();
            err.println("consumer: " + redact(cmd, message));
            return code;
        });
        commandLine.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine()
                    .getErr()
                    .println("consumer: " + CommandLineErrors.describe(e) + " (see '"
                            + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return ExitCodes.USAGE;
        });
        return commandLine;
    }

    private static String redact(CommandLine cmd, String message) {
        CommandLine root = cmd;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        ConsumerCli cli = root.getCommand();
        String redacted = message;
        for (Map.Entry<String, String> e : cli.kafkaProperties.entrySet()) {
            if (!e.getValue().isEmpty() && KafkaClientSettings.isSensitive(e.getKey())) {
                redacted = redacted.replace(e.getValue(), "[redacted]");
            }
        }
        return redacted;
    }

    /** Opens the Kafka this invocation reads (embedded when no bootstrap servers were given). */
    LogSession openSession() {
        return LogSession.open(bootstrapServers, kafkaProperties, timeout, dataDir, embeddedPort, topic);
    }

    boolean progressWanted() {
        return progress != null ? progress : Terminal.isInteractive();
    }

    Clock clock() {
        return clock;
    }

    String topic() {
        return topic;
    }

    /** Picocli converter for {@link TimeArguments#duration}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return TimeArguments.duration(value);
        }
    }

    /** Reads a count or a limit: a whole number of 0 or more. */
    static final class NonNegativeIntConverter extends WholeNumberConverter {
        NonNegativeIntConverter() {
            super(0);
        }
    }

    /** Reads a count that must be at least one ({@code --max-runs}, {@code --max-poll-records}). */
    static final class PositiveIntConverter extends WholeNumberConverter {
        PositiveIntConverter() {
            super(1);
        }
    }

    /** Reads a whole number of at least {@code min}; anything else is a usage error naming the option. */
    abstract static class WholeNumberConverter implements CommandLine.ITypeConverter<Integer> {
        private final int min;

        WholeNumberConverter(int min) {
            this.min = min;
        }

        @Override
        public Integer convert(String value) {
            try {
                int number = Integer.parseInt(value);
                if (number >= min) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a whole number of " + min + " or more");
        }
    }

    /** Reads {@code --embedded-port} with the declaration's type and rules ({@link BrokerSettings#EMBEDDED_PORT}). */
    static final class EmbeddedPortConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return BrokerSettings.EMBEDDED_PORT.parse(value);
        }
    }
}
