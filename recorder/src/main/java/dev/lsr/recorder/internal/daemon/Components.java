package dev.lsr.recorder.internal.daemon;

import dev.lsr.kernel.Backoff;
import dev.lsr.recorder.RecorderConfig;
import dev.lsr.recorder.RecorderFailure;
import dev.lsr.recorder.RecorderListener;
import dev.lsr.recorder.internal.drain.RecordFactory;
import dev.lsr.recorder.internal.drain.StallWatchdog;
import dev.lsr.recorder.internal.intake.ActiveListing;
import dev.lsr.recorder.internal.intake.CheckpointLookup;
import dev.lsr.recorder.internal.intake.RunRegistry;
import dev.lsr.recorder.internal.intake.RunStops;
import dev.lsr.recorder.internal.intake.RunWatcher;
import dev.lsr.recorder.internal.letta.LettaApi;
import dev.lsr.recorder.internal.letta.LettaCallHealth;
import dev.lsr.recorder.internal.letta.LettaReadiness;
import dev.lsr.recorder.internal.letta.LettaUrls;
import dev.lsr.recorder.internal.letta.OkHttpLettaApi;
import dev.lsr.recorder.internal.letta.OutageTrackingLettaApi;
import dev.lsr.recorder.internal.run.AttachGate;
import dev.lsr.recorder.internal.run.SessionContext;
import dev.lsr.recorder.internal.run.SessionSettings;
import dev.lsr.recorder.internal.run.Sleeper;
import dev.lsr.recorder.internal.run.SupervisorPolicy;
import dev.lsr.recorder.log.ActiveRunListing;
import dev.lsr.recorder.log.RunLog;
import dev.lsr.recorder.log.RunLogConfig;
import dev.lsr.settings.LettaRetention;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import okhttp3.Call;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The parts of a started recorder, wired by hand from its config, started and stopped together. */
public final class Components {

    private static final Logger log = LoggerFactory.getLogger(Components.class);
    /**
     * Letta keeps a run's stream this long after it ended. A checkpoint of an ended run is tombstoned
     * only after the catch-up window and at least this long: before, an explicit {@code --attach}
     * could still reach the run, and without its checkpoint it would be recorded a second time.
     */
    private static final Duration LETTA_STREAM_RETENTION = LettaRetention.STREAM;
    /**
     * Added to that: the catch-up finds runs by Letta's {@code created_at} against the recorder's clock, the
     * tombstones go by the checkpoint's time, the recorder's clock. With Letta's clock ahead, a short run that
     * ended just over the window ago could lose its checkpoint and be caught up again (a second terminal record).
     */
    static final Duration CLOCK_MARGIN = Duration.ofHours(1);

    private final RunLog runLog;
    private final StallWatchdog watchdog;
    private final RunRegistry registry;
    private final Watching watching;
    /** Alone: the runs given up with their partition; null in a fleet. */
    private final GivenUpRuns givenUp;

    private final LettaReadiness lettaReadiness;
    /** Letta, through the outage log and its probe: closed when the recorder stops. */
    private final OutageTrackingLettaApi letta;

    private Components(
            RunLog runLog,
            StallWatchdog watchdog,
            RunRegistry registry,
            Watching watching,
            GivenUpRuns givenUp,
            LettaReadiness lettaReadiness,
            OutageTrackingLettaApi letta) {
        this.runLog = runLog;
        this.watchdog = watchdog;
        this.registry = registry;
        this.watching = watching;
        this.givenUp = givenUp;
        this.lettaReadiness = lettaReadiness;
        this.letta = letta;
    }

    /** What the daemon takes from outside: clock, HTTP, log factory, metrics. */
    public record Dependencies(
            Clock clock, Call.Factory calls, Function<RunLogConfig, RunLog> runLogs, RecorderListener listener) {}

    /**
     * The log's settings for these Kafka servers; {@code activeRuns} tells the start-up which ended runs Letta still
     * lists ({@link #activeRunListing}).
     */
    public static RunLogConfig runLogConfig(
            RecorderConfig config, String bootstrapServers, ActiveRunListing activeRuns) {
        Duration half = config.shutdownTimeout().dividedBy(2);
        return RunLogConfig.builder(bootstrapServers)
                .chunkTopic(config.topic())
                .partitions(config.partitions())
                .commitWindow(config.commitWindow())
                .compression(config.compression())
                .kafkaProperties(config.kafkaProperties())
                .closeTimeout(half.isPositive() ? half : config.shutdownTimeout())
                .replicationFactor(config.replicationFactor())
                .rebuildCheckpoints(config.rebuildCheckpoints())
                .tombstoneAfter(checkpointWindow(config))
                .groupId(config.inFleet() ? config.fleetGroupId() : null)
                .activeRuns(activeRuns)
                .build();
    }

    /**
     * How long the log keeps the checkpoint of an ended run: {@link #endedRunsWindow} plus the margin for the clocks.
     */
    static Duration checkpointWindow(RecorderConfig config) {
        return endedRunsWindow(config).plus(CLOCK_MARGIN);
    }

    /**
     * The catch-up window and at least Letta's stream retention: a run that ended longer ago, by Letta's clock, is not
     * recorded when asked for by id ({@link CheckpointLookup#mayHaveForgotten}). The log keeps checkpoints a clock
     * margin longer ({@link #checkpointWindow}, by the recorder's clock), so any run whose checkpoint it removed is
     * refused, with the two clocks up to the margin apart.
     */
    static Duration endedRunsWindow(RecorderConfig config) {
        return max(config.catchUp(), LETTA_STREAM_RETENTION);
    }

    /** The intake's view of the log's checkpoints, which the log removes after {@link #checkpointWindow}. */
    static CheckpointLookup checkpointLookup(RecorderConfig config, CheckpointLookup log) {
        return CheckpointLookup.forgettingAfter(endedRunsWindow(config), log);
    }

    /**
     * What this recorder's watcher lists as active, asked by the log's start-up before it removes old checkpoints:
     * without a watcher nothing attaches an ended run again but an explicit attach, so nothing needs asking.
     */
    public static ActiveRunListing activeRunListing(RecorderConfig config, Dependencies deps) {
        return config.watch()
                ? RunWatcher.listing(lettaApi(config, deps), config.agentIds(), config.conversationIds())
                : ActiveRunListing.NONE;
    }

    /**
     * Checks that the configured URL is a Letta server that takes the API key: call before anything
     * else starts.
     *
     * @param lettaCalls keeps the check's outcome: the {@code letta} readiness check's first
     * @throws dev.lsr.recorder.LettaCheckException saying what answered instead
     */
    public static void checkLetta(RecorderConfig config, Dependencies deps, LettaCallHealth lettaCalls) {
        LettaStartCheck.verify(lettaApi(config, deps), LettaUrls.shown(config.lettaBaseUrl()), lettaCalls);
    }

    /** Builds everything around a not yet started log. */
    public static Components build(
            RecorderConfig config,
            RunLog runLog,
            Dependencies deps,
            BooleanSupplier stopping,
            Consumer<RecorderFailure> onFatal,
            LettaCallHealth lettaCalls) {
        HttpUrl baseUrl = HttpUrl.get(config.lettaBaseUrl());
        RunStops stops = new RunStops();
        OutageTrackingLettaApi api = new OutageTrackingLettaApi(
                lettaApi(config, deps),
                deps.listener(),
                deps.clock(),
                OutageTrackingLettaApi.PROBE_EVERY,
                stopping,
                lettaCalls);
        Duration stall = config.stallTimeout();
        Duration tick =
                clamp(min(stall, config.stopReasonGrace()).dividedBy(4), Duration.ofMillis(10), Duration.ofMillis(500));
        StallWatchdog watchdog =
                new StallWatchdog(deps.clock(), stall, config.stopReasonGrace(), config.abandonAfter()).start(tick);
        SessionSettings settings = new SessionSettings(
                Backoff.exponential(config.backoffInitial(), config.backoffMax()),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                Duration.ofMillis(250));
        SessionContext context = new SessionContext(
                api,
                new LogAppender(runLog),
                new RecordFactory(source(baseUrl), deps.clock()),
                watchdog,
                new SupervisorPolicy(config.abandonAfter()),
                settings,
                Sleeper.REAL,
                RandomGenerator.getDefault(),
                deps.listener(),
                // a run stops when the recorder does, or when a fleet member gives its partition up
                () -> stopping.getAsBoolean() || stops.current(),
                new AttachGate(AttachGate.RESTORE_ATTACHES));
        // alone, the router keeps the runs given up with their partition; a fleet offers them to the other members
        GivenUpRuns givenUp = config.inFleet() ? null : new GivenUpRuns(runLog::owns);
        RunRegistry registry = new RunRegistry(
                context,
                checkpointLookup(config, runLog::checkpoint),
                onFatal,
                givenUp == null ? new LogRouter(runLog) : givenUp,
                stops,
                RunWatcher.reofferAfter(config.pollInterval()));
        if (givenUp != null) {
            givenUp.attachWith((runId, mode) -> registry.attach(runId, null, mode), stopping);
        }
        ActiveListing activeRuns = new ActiveListing();
        Watching watching = new Watching(
                config.watch()
                        ? watcherStopping -> new RunWatcher(
                                api,
                                registry,
                                config.agentIds(),
                                config.conversationIds(),
                                config.pollInterval(),
                                config.catchUp(),
                                deps.clock(),
                                Sleeper.REAL,
                                () -> stopping.getAsBoolean() || watcherStopping.getAsBoolean(),
                                onFatal,
                                activeRuns)
                        : null);
        // alone too: a partition whose producer could not go on is given up and taken again, its runs continued
        runLog.whenOwnershipChanges(
                givenUp == null
                        ? PartitionSeat.fleet(runLog, registry, watching, config.shutdownTimeout(), stopping)
                        : PartitionSeat.alone(runLog, registry, givenUp, config.shutdownTimeout(), stopping));
        return new Components(runLog, watchdog, registry, watching, givenUp, new LettaReadiness(api, lettaCalls), api);
    }

    /**
     * Starts recording: every run the log holds as active, the configured runs and message, then
     * the watcher (on its own virtual thread).
     */
    public void startIntake(RecorderConfig config) {
        if (!config.inFleet()) {
            // in a fleet each assignment continues its partitions' runs (PartitionSeat)
            var restored = runLog.activeRuns().values();
            log.info("Continuing {} active run(s) from their checkpoints", restored.size());
            restored.forEach(registry::restore);
        }
        config.attachRunIds().forEach(runId -> registry.attach(runId, null, "attach"));
        if (config.send() != null) {
            registry.send(config.send());
        }
        if (!config.inFleet()) {
            watching.start();
        }
    }

    /**
     * Stops the {@code letta} check and the outage probe asking (their asks in flight interrupted), intake and every
     * run where it is (waiting at most {@code runsTimeout}), then closes the watchdog and the log, which commits what
     * it has. Never throws.
     */
    public void stop(Duration runsTimeout) {
        lettaReadiness.close();
        letta.close();
        watching.stop();
        try {
            if (!registry.awaitStopped(runsTimeout)) {
                log.warn("Some runs did not stop in time; the log commits what it has");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watchdog.close();
        try {
            runLog.close();
        } catch (RuntimeException e) {
            log.warn("Closing the run log failed: {}", e.getMessage());
        }
        if (givenUp != null) {
            givenUp.reportAtStop(registry.takeFailedSessions(runId -> true), runLog);
        }
    }

    private static LettaApi lettaApi(RecorderConfig config, Dependencies deps) {
        return new OkHttpLettaApi(
                deps.calls(),
                HttpUrl.get(config.lettaBaseUrl()),
                config.apiKey(),
                config.requestTimeout(),
                config.maxFrameBytes(),
                config.lettaHeaders());
    }

    /** The {@code ce_source} of every record: the base URL, no credentials, no trailing slash. */
    static String source(HttpUrl baseUrl) {
        return LettaUrls.shown(baseUrl);
    }

    public RunLog runLog() {
        return runLog;
    }

    public RunRegistry registry() {
        return registry;
    }

    /** The {@code letta} readiness check, which asks Letta's listing when its last outcome is old. */
    public LettaReadiness lettaReadiness() {
        return lettaReadiness;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration clamp(Duration value, Duration low, Duration high) {
        return value.compareTo(low) < 0 ? low : value.compareTo(high) > 0 ? high : value;
    }
}
