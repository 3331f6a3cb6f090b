package dev.lsr.recorder.cli;

import dev.lsr.kernel.LifecycleState;
import dev.lsr.kernel.Signals;
import dev.lsr.recorder.RecorderConfig;
import dev.lsr.recorder.RecorderDaemon;
import dev.lsr.recorder.RecorderFailure;
import dev.lsr.recorder.demo.DemoProgress;
import dev.lsr.recorder.demo.DemoWorkload;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The recorder with no Letta URL: starts letta-sim in-process with a generated workload, records it
 * with the given configuration (embedded broker by default), says once that it is starting, prints
 * progress every two seconds once it runs, stops when every demo run has finished (or on Ctrl-C, or
 * {@link #MAX_DURATION} after it started running) and tells where the log is and how to read it.
 */
final class DemoCommand {

    static final Duration MAX_DURATION = Duration.ofMinutes(3);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);
    private static final Duration STILL_STARTING_EVERY = Duration.ofSeconds(10);

    private DemoCommand() {}

    /** Runs the demo; the recorder's metrics are recorded (and logged, when logs are not quiet) beside the progress. */
    @SuppressWarnings("try") // QuietLogs is held only for its scope: it restores the log levels on close
    static int run(RecorderConfig config, PrintStream out, PrintStream err) {
        if (config.embeddedBroker()) {
            DemoLog.claim(config.dataDir());
        }
        long seed = System.currentTimeMillis();
        try (QuietLogs quiet = QuietLogs.apply();
                LoggedMetrics metrics = LoggedMetrics.start(config.metricsInterval());
                DemoWorkload workload = DemoWorkload.start(seed);
                EmbeddedKafka kafka = EmbeddedKafka.of(config)) {
            err.printf(
                    "demo: no Letta URL given, so letta-sim runs in-process at %s with %d generated runs"
                            + " (3 agents, injected disconnects; seed %d).%n",
                    workload.baseUrl(), DemoWorkload.RUNS, seed);
            err.println("demo: recording them into Kafka"
                    + (config.embeddedBroker()
                            ? " (embedded broker, data in "
                                    + config.dataDir().toAbsolutePath().normalize() + ")"
                            : " at " + config.bootstrapServers())
                    + ". Ctrl-C stops early. Logs: warnings only.");
            DemoProgress progress = new DemoProgress();
            AtomicReference<RecorderFailure> failed = new AtomicReference<>();
            RecorderDaemon daemon = RecorderDaemon.builder(
                            config.toBuilder().lettaBaseUrl(workload.baseUrl()).build())
                    .listener(progress)
                    .meterRegistry(metrics.registry())
                    .kafka(kafka::bootstrapServers)
                    .onFailure(failed::set)
                    .build();
            Signals.onTermination(daemon::requestStop, daemon::close);
            Thread reporter = Thread.ofVirtual()
                    .name("demo-progress")
                    .start(() -> report(daemon, progress, err, config.embeddedBroker()));
            daemon.run();
            reporter.interrupt();
            if (daemon.state() != LifecycleState.STOPPED) {
                return RecorderCommand.failed(failed.get(), err);
            }
            printWhereTheLogIs(config, daemon, progress, out);
            return RecorderCommand.OK;
        }
    }

    private static void report(RecorderDaemon daemon, DemoProgress progress, PrintStream err, boolean embeddedBroker) {
        try {
            if (!awaitStarted(daemon, err, embeddedBroker)) {
                return;
            }
            long deadline = System.nanoTime() + MAX_DURATION.toNanos();
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(PROGRESS_EVERY);
                err.println("demo: " + progress.line());
                if (progress.finishedRuns() >= DemoWorkload.RUNS || System.nanoTime() > deadline) {
                    err.println("demo: "
                            + (progress.finishedRuns() >= DemoWorkload.RUNS ? "every run has finished" : "time is up")
                            + "; stopping the recorder");
                    daemon.requestStop();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One line while the recorder starts (a busy machine can take a minute to start the broker), a
     * reminder every {@link #STILL_STARTING_EVERY}, no progress lines of nothing: false if it failed.
     */
    private static boolean awaitStarted(RecorderDaemon daemon, PrintStream err, boolean embeddedBroker)
            throws InterruptedException {
        err.println("demo: starting " + (embeddedBroker ? "the embedded Kafka broker and " : "") + "the recorder ...");
        long started = System.nanoTime();
        while (!daemon.awaitRunning(STILL_STARTING_EVERY)) {
            if (daemon.state() != LifecycleState.CREATED && daemon.state() != LifecycleState.STARTING) {
                return false;
            }
            err.printf(
                    "demo: still starting (%d s)%n",
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());
        }
        return true;
    }

    private static void printWhereTheLogIs(
            RecorderConfig config, RecorderDaemon daemon, DemoProgress progress, PrintStream out) {
        String kafka = config.embeddedBroker()
                ? "the embedded Kafka broker's data directory "
                        + config.dataDir().toAbsolutePath().normalize()
                : "Kafka at " + daemon.bootstrapServers().orElse(config.bootstrapServers());
        String where = config.embeddedBroker()
                ? " --data-dir " + config.dataDir()
                : " --bootstrap-servers " + config.bootstrapServers();
        out.printf(
                "%nRecorded %d finished runs, %,d chunks (%,d bytes) into topic %s in %s.%n",
                progress.finishedRuns(), progress.chunks(), progress.bytes(), config.topic(), kafka);
        out.println("Read it back with the consumer:");
        out.println("  bin/consumer" + where + " runs                 # the runs, their status and size");
        out.println("  bin/consumer" + where + " show RUN_ID          # one run's transcript");
        out.println("  bin/consumer" + where + " rebuild RUN_ID       # the buffers Letta Code builds, as JSON");
        out.println("  bin/consumer" + where + " summaries --format csv");
    }
}
