package dev.lsr.consumer.cli;

import dev.lsr.consumer.analytics.AnalyticsConfig;
import dev.lsr.consumer.analytics.AnalyticsJob;
import dev.lsr.consumer.analytics.SummaryRunFold;
import dev.lsr.consumer.analytics.spans.SpansRunFold;
import dev.lsr.consumer.cli.internal.LogSession;
import dev.lsr.kernel.LifecycleState;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code consumer analytics}: the continuous analytics job as a daemon, keeping the run summaries
 * topic up to date exactly once, until SIGTERM or Ctrl-C.
 */
@Command(name = "analytics", description = "Run the analytics job: run summaries into the summary topic, exactly once.")
final class AnalyticsCommand extends LogCommand {

    @Option(
            names = "--group",
            description = "Consumer group (default: " + AnalyticsConfig.DEFAULT_GROUP + ", with --spans "
                    + SpansRunFold.DEFAULT_GROUP + "); instances of one group share the partitions.")
    String group;

    @Option(
            names = "--spans",
            description = "Write each run's OpenTelemetry span tree (OTLP protobuf) to <topic>.otlp instead of"
                    + " its summary (docs/analytics.md).")
    boolean spans;

    @Option(
            names = "--instance-id",
            defaultValue = "0",
            description =
                    "This instance's stable id within the group; part of its transactional id (default: ${DEFAULT-VALUE}).")
    String instanceId;

    @Option(
            names = "--summary-topic",
            description = "Output topic (default: <topic>.summaries, with --spans <topic>.otlp).")
    String summaryTopic;

    @Option(
            names = "--max-poll-records",
            defaultValue = "1000",
            converter = ConsumerCli.PositiveIntConverter.class,
            description = "Records per poll and per transaction at most (default: ${DEFAULT-VALUE}).")
    int maxPollRecords;

    @Option(
            names = "--until-caught-up",
            description = "Stop once every committed record of the log has been summarised (a batch run).")
    boolean untilCaughtUp;

    @Override
    public Integer call() throws InterruptedException {
        try (LogSession session = cli.openSession()) {
            session.requireTopic();
            AnalyticsConfig config = (spans
                            ? SpansRunFold.config(cli.topic(), instanceId)
                            : AnalyticsConfig.defaults(cli.topic()))
                    .withMaxPollRecords(maxPollRecords);
            if (group != null) {
                config = config.withGroup(group, instanceId);
            } else if (!spans) {
                config = config.withGroup(AnalyticsConfig.DEFAULT_GROUP, instanceId);
            }
            if (summaryTopic != null) {
                config = config.withSummaryTopic(summaryTopic);
            }
            AnalyticsJob<?> job = spans
                    ? new AnalyticsJob<>(config, session.settings(), new SpansRunFold())
                    : new AnalyticsJob<>(config, session.settings(), new SummaryRunFold());
            Thread stop = new Thread(job::close, "consumer-analytics-stop");
            Runtime.getRuntime().addShutdownHook(stop);
            try {
                if (untilCaughtUp) {
                    runUntilCaughtUp(job);
                } else {
                    job.run();
                }
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(stop);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: the JVM is exiting
                }
            }
            err().println("consumer: analytics job stopped: " + job.stats());
            return job.state() == LifecycleState.FAILED ? ExitCodes.SOFTWARE : ExitCodes.OK;
        }
    }

    private static void runUntilCaughtUp(AnalyticsJob<?> job) throws InterruptedException {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread runner = new Thread(
                () -> {
                    try {
                        job.run();
                    } catch (RuntimeException e) {
                        failure.set(e);
                    }
                },
                "consumer-analytics");
        runner.start();
        while (runner.isAlive() && !job.awaitCaughtUp(Duration.ofSeconds(1))) {
            // keep waiting while the job runs and has not caught up
        }
        job.close();
        runner.join();
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
