package dev.lsr.kafka;

import dev.lsr.settings.ExitCode;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an {@link EmbeddedKafkaBroker} standalone until SIGTERM or Ctrl-C:
 * {@code EmbeddedKafkaMain --data-dir DIR --port 9092}.
 */
public final class EmbeddedKafkaMain {

    private EmbeddedKafkaMain() {}

    public static void main(String[] args) throws InterruptedException {
        int exitCode = mainNoExit(args, System.out, System.err);
        if (exitCode != ExitCode.OK.code()) {
            System.exit(exitCode);
        }
    }

    /**
     * Starts the broker and blocks until the JVM shuts down (the broker is closed by a shutdown
     * hook). Returns {@link ExitCode#OK} for {@code --help}, {@link ExitCode#FAILED} if the broker cannot
     * start, {@link ExitCode#USAGE} for a bad command line.
     */
    static int mainNoExit(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        MainOptions options;
        try {
            options = MainOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(MainOptions.USAGE);
            return ExitCode.USAGE.code();
        }
        if (options.help()) {
            out.println(MainOptions.USAGE);
            return ExitCode.OK.code();
        }
        EmbeddedKafkaBroker broker;
        try {
            broker = builder(options).start();
        } catch (EmbeddedKafkaException e) {
            err.println(e.getMessage());
            return ExitCode.FAILED.code();
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            broker.close();
                            stopped.countDown();
                        },
                        "embedded-kafka-shutdown"));
        out.println("Kafka broker serving at " + broker.bootstrapServers() + " (data dir " + broker.dataDir()
                + "); stop with SIGTERM or Ctrl-C");
        stopped.await();
        return ExitCode.OK.code();
    }

    private static EmbeddedKafkaBroker.Builder builder(MainOptions options) {
        EmbeddedKafkaBroker.Builder builder =
                EmbeddedKafkaBroker.builder().host(options.host()).port(options.port());
        options.dataDir().ifPresent(builder::dataDir);
        options.brokerProperties().forEach(builder::brokerProperty);
        return builder;
    }
}
