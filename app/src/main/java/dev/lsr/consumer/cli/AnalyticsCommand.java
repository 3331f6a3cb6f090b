package dev.lsr.consumer.cli;

import dev.lsr.consumer.analytics.AnalyticsConfig;
import dev.lsr.consumer.analytics.AnalyticsJob;
import dev.lsr.consumer.analytics.SummaryRunFold;
import dev.lsr.consumer.cli.internal.LogSession;
import dev.lsr.consumer.projection.summary.RunSummaryFold;
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
            defaultValue = AnalyticsConfig.DEFAULT_GROUP,
            description = "Consumer group (default: ${DEFAULT-VALUE}); instances of one group share the partitions.")
    String group;

    @Option(
            names = "--instance-id",
            defaultValue = "0",
            description =
                    "This instance's stable id within the group; part of its transactional id (default: ${DEFAULT-VALUE}).")
    String instanceId;

    @Option(names = "--summary-topic", description = "Summary topic (default: <topic>.summaries).")
    String summaryTopic;

    @Option(
            names = "--max-poll-records",
            defaultValue = "1000",
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
            AnalyticsConfig config = AnalyticsConfig.defaults(cli.topic())
                    .withGroup(group, instanceId)
                    .withMaxPollRecords(maxPollRecords);
            if (summaryTopic != null) {
                config = config.withSummaryTopic(summaryTopic);
            }
            AnalyticsJob<RunSummaryFold> job = new AnalyticsJob<>(config, session.settings(), new SummaryRunFold());
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
