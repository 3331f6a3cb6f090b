package dev.lsr.recorder;

import dev.lsr.kernel.Lifecycle;
import dev.lsr.kernel.LifecycleState;
import dev.lsr.recorder.internal.daemon.Components;
import dev.lsr.recorder.internal.daemon.FanOutListener;
import dev.lsr.recorder.internal.daemon.FanOutRunLogListener;
import dev.lsr.recorder.internal.letta.LettaCallHealth;
import dev.lsr.recorder.internal.letta.LettaHttpClient;
import dev.lsr.recorder.log.KafkaRunLog;
import dev.lsr.recorder.log.RunLog;
import dev.lsr.recorder.log.RunLogConfig;
import dev.lsr.recorder.log.RunLogFailure;
import dev.lsr.recorder.log.RunLogListener;
import dev.lsr.recorder.log.RunLogStartException;
import dev.lsr.recorder.metrics.RecorderMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder as one object: {@link #run()} starts the log on the configured Kafka (the library starts
 * no broker: an application that runs its own passes its address with {@link Builder#kafka}), continues
 * every run the log holds as active, attaches the configured runs, watches for
 * new ones, and blocks until {@link #close()} (or, with {@link RecorderConfig#stopWhenIdle()}, until no
 * run is left). The CLI
 * runs it on its main thread; a demo or test can run it on any thread and use it as a
 * {@link RunIntake}. Its state ({@link LifecycleState}) changes by compare-and-set, one INFO line each:
 * {@code CREATED -> STARTING -> RUNNING -> STOPPING -> STOPPED}; a daemon that fails (while starting or
 * running) goes through {@code STOPPING} to release what it started and ends {@code FAILED}, and then tells
 * its owner why, once ({@link Builder#onFailure}, a {@link RecorderFailure}).
 */
public final class RecorderDaemon implements Runnable, AutoCloseable, RunIntake {

    private static final Logger log = LoggerFactory.getLogger(RecorderDaemon.class);

    private final RecorderConfig config;
    private final Components.Dependencies dependencies;
    private final Supplier<String> kafka;
    private final Lifecycle lifecycle = new Lifecycle("recorder", log);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final CountDownLatch running = new CountDownLatch(1);
    private final AtomicReference<RecorderFailure> failure = new AtomicReference<>();
    private final Consumer<RecorderFailure> onFailure;
    private final LettaCallHealth lettaCalls;
    private volatile Components components;
    private volatile String bootstrapServers;

    private RecorderDaemon(
            RecorderConfig config,
            Components.Dependencies dependencies,
            Supplier<String> kafka,
            Consumer<RecorderFailure> onFailure,
            LongSupplier nanoTime) {
        this.config = config;
        this.lettaCalls = new LettaCallHealth(nanoTime);
        this.dependencies = dependencies;
        this.kafka = kafka;
        this.onFailure = onFailure;
    }

    /** A daemon with real parts: OkHttp, the Kafka run log, the system clock. */
    public static RecorderDaemon create(RecorderConfig config) {
        return builder(config).build();
    }

    public static Builder builder(RecorderConfig config) {
        return new Builder(config);
    }

    public LifecycleState state() {
        return lifecycle.state();
    }

    /** Why the daemon failed, once it did (the same value {@link Builder#onFailure} is given). */
    public Optional<RecorderFailure> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** The Kafka servers the log is written to, once starting. */
    public Optional<String> bootstrapServers() {
        return Optional.ofNullable(bootstrapServers);
    }

    /**
     * Why Letta's last listing failed, while it did: a server error ({@code HTTP 500 on GET /v1/runs/}, any 5xx) or no
     * answer ({@code no answer on GET /v1/runs/: ConnectException}); empty while Letta answers (an error about the
     * request, a 404 or a 409, is an answer); {@code GET /v1/runs/ not checked yet} before the first listing ended. The
     * start check is the first: while the daemon starts, this is its outcome (not asked again before the daemon runs).
     * A call about one run that fails has the listing asked instead ({@link LettaCallHealth}). The recorder's {@code
     * letta} readiness check: while the daemon runs, it has the listing asked in the background when no listing started
     * in the last 30 s ended (a recorder without a watcher lists nothing by itself), one such ask at a time, and returns
     * the last outcome at once ({@link dev.lsr.recorder.internal.letta.LettaReadiness}).
     */
    public Optional<String> lettaFailure() {
        Components started = components;
        return started != null && state() == LifecycleState.RUNNING
                ? started.lettaReadiness().failure()
                : lettaCalls.failure();
    }

    /** Waits until the daemon is {@code RUNNING}; false if it did not get there in time (or failed). */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && state() == LifecycleState.RUNNING;
    }

    /** Runs the recorder until it is closed or fails. Call once. */
    @Override
    public void run() {
        lifecycle.transition(LifecycleState.CREATED, LifecycleState.STARTING);
        try {
            log.info("Starting with {}", config);
            Components.checkLetta(config, dependencies, lettaCalls);
            String bootstrap = kafka.get();
            bootstrapServers = bootstrap;
            RunLog runLog = dependencies
                    .runLogs()
                    .apply(Components.runLogConfig(
                            config, bootstrap, Components.activeRunListing(config, dependencies)));
            components = Components.build(config, runLog, dependencies, stopping::get, this::fail, lettaCalls);
            runLog.whenFailed(this::logFailed);
            runLog.start();
            if (lifecycle.tryTransition(LifecycleState.STARTING, LifecycleState.RUNNING)) {
                running.countDown();
                components.startIntake(config);
                awaitStop();
            }
        } catch (LettaCheckException e) {
            fail(new RecorderFailure.LettaCheckFailed(e.getMessage(), null));
        } catch (RunLogStartException e) {
            fail(new RecorderFailure.LogFailed(e.getMessage(), e));
        } catch (RuntimeException e) {
            fail(new RecorderFailure.Unexpected(String.valueOf(e.getMessage()), e));
        } finally {
            shutDown();
            running.countDown();
            terminated.countDown();
        }
    }

    @Override
    public CompletableFuture<RunOutcome> attach(String runId) {
        return requireRunning().registry().attach(Objects.requireNonNull(runId, "runId"), null, "attach");
    }

    @Override
    public CompletableFuture<RunOutcome> send(SendMessage message) {
        return requireRunning().registry().send(Objects.requireNonNull(message, "message"));
    }

    /** Asks the daemon to stop; returns at once. */
    public void requestStop() {
        stopRequested.countDown();
    }

    /** Stops the daemon and waits for it, at most the shutdown timeout (plus a margin). Idempotent. */
    @Override
    public void close() {
        if (lifecycle.tryTransition(LifecycleState.CREATED, LifecycleState.STOPPED)) {
            terminated.countDown();
            return;
        }
        requestStop();
        try {
            if (!terminated.await(config.shutdownTimeout().plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Recorder did not stop within {}", config.shutdownTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Components requireRunning() {
        Components started = components;
        if (started == null || state() != LifecycleState.RUNNING) {
            throw new IllegalStateException("the recorder is " + state() + ", not RUNNING");
        }
        return started;
    }

    /** Failures arrive by callback (runs, watcher, log); only {@code stopWhenIdle} needs a look now and then. */
    private void awaitStop() {
        try {
            if (!config.stopWhenIdle()) {
                stopRequested.await();
                return;
            }
            boolean idleBefore = false;
            while (!stopRequested.await(250, TimeUnit.MILLISECONDS)) {
                boolean idle = isIdle();
                if (idle && idleBefore) {
                    log.info("No run left to record: stopping");
                    requestStop();
                }
                idleBefore = idle;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Nothing tells the daemon that the last run ended: it asks, and stops once the answer is yes twice in a row. Idle
     * is no stopped partition (it is taken again, and the runs its give-up stopped are recorded then), no run
     * recording, and nothing appended left uncommitted (a last batch may still fail: its partition then stops, and
     * counts as uncommitted until it is given up). Looked at in that order: once a partition is no longer stopped,
     * its take has started its runs again; once no run records, only a commit can change what is pending.
     */
    private boolean isIdle() {
        RunLog runLog = components.runLog();
        return runLog.stoppedPartitions().isEmpty()
                && components.registry().isIdle()
                && runLog.uncommittedRecords() == 0;
    }

    /** The run log stopped (from its committer thread). */
    private void logFailed(RunLogFailure f) {
        fail(
                f.kind() == RunLogFailure.Kind.FENCED
                        ? new RecorderFailure.Fenced(f.message(), f.cause())
                        : new RecorderFailure.LogFailed(f.message(), f.cause()));
    }

    /**
     * A recorder alone owns every partition, so a second one fences it: say how several share the work. Added
     * here, whichever thread learnt of the fencing first (the log's committer, or a run whose append found the
     * log closed).
     */
    private RecorderFailure withSharingHint(RecorderFailure f) {
        if (!(f instanceof RecorderFailure.Fenced fenced) || config.inFleet()) {
            return f;
        }
        return new RecorderFailure.Fenced(
                fenced.message()
                        + "; to share a topic's runs among several recorders, start every one with --fleet (see \"A recorder fleet\" in docs/operations.md)",
                fenced.cause());
    }

    /** The first failure wins and stops the daemon; any thread. */
    private void fail(RecorderFailure failed) {
        RecorderFailure f = withSharingHint(failed);
        if (stopping.get() && f instanceof RecorderFailure.LogFailed) {
            return; // the log closing under the runs while the daemon stops: that is the stop, not a failure
        }
        if (failure.compareAndSet(null, f)) {
            log.error("Recorder failing: {}", f.message());
            if (f.cause() != null) {
                log.debug("Failure detail", f.cause());
            }
        }
        requestStop();
    }

    private void shutDown() {
        LifecycleState from = state();
        if (from == LifecycleState.STARTING || from == LifecycleState.RUNNING) {
            lifecycle.transition(from, LifecycleState.STOPPING);
        }
        stopping.set(true);
        Components started = components;
        if (started != null) {
            started.stop(config.shutdownTimeout().dividedBy(2));
        }
        RecorderFailure failed = failure.get();
        lifecycle.transition(LifecycleState.STOPPING, failed == null ? LifecycleState.STOPPED : LifecycleState.FAILED);
        if (failed != null) {
            try {
                onFailure.accept(failed);
            } catch (RuntimeException e) {
                log.warn("The failure callback threw; ignored", e);
            }
        }
    }

    /** Builds a {@link RecorderDaemon}; every part has a real default. */
    public static final class Builder {
        private final RecorderConfig config;
        private Clock clock = Clock.systemUTC();
        private LongSupplier nanoTime = System::nanoTime;
        private Call.Factory calls;
        private Function<RunLogConfig, RunLog> runLogs;
        private RecorderListener listener = RecorderListener.NONE;
        private RunLogListener runLogListener = RunLogListener.NONE;
        private MeterRegistry meterRegistry;
        private Supplier<String> kafka;
        private Consumer<RecorderFailure> onFailure = failure -> {};

        private Builder(RecorderConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value);
            return this;
        }

        /**
         * The monotonic time ages are measured on, in nanoseconds (default {@link System#nanoTime}): unlike the
         * {@link #clock}, a wall clock stepped back does not move it. So far the age of Letta's last listing outcome.
         */
        public Builder nanoTime(LongSupplier value) {
            nanoTime = Objects.requireNonNull(value);
            return this;
        }

        /** The HTTP client for Letta (default: an OkHttp client without retries, read timeout = stall timeout). */
        public Builder calls(Call.Factory value) {
            calls = Objects.requireNonNull(value);
            return this;
        }

        /** Makes the run log from its config (default: {@link KafkaRunLog}). */
        public Builder runLogs(Function<RunLogConfig, RunLog> value) {
            runLogs = Objects.requireNonNull(value);
            return this;
        }

        /** Hooks of the recorder, called besides the metrics of {@link #meterRegistry}. */
        public Builder listener(RecorderListener value) {
            listener = Objects.requireNonNull(value);
            return this;
        }

        /** Hooks of the default run log, called besides the metrics of {@link #meterRegistry}. */
        public Builder runLogListener(RunLogListener value) {
            runLogListener = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Records the recorder's metrics ({@link RecorderMetrics}) in this registry (Prometheus,
         * logging, ...), alongside any listeners. The registry stays the caller's: the daemon never closes
         * it. With {@link #runLogs} the run log's metrics are left to that factory.
         */
        public Builder meterRegistry(MeterRegistry value) {
            meterRegistry = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Supplies the Kafka bootstrap servers when the daemon starts, after its Letta start check
         * (default: the configured ones, which must then be given). An application that runs its own
         * broker starts it here, so that a wrong Letta URL or API key never starts one, and stops it
         * after the daemon.
         */
        public Builder kafka(Supplier<String> bootstrapServers) {
            kafka = Objects.requireNonNull(bootstrapServers);
            return this;
        }

        /**
         * Told why the daemon failed: once, on the thread that runs it, after it released everything and is
         * {@code FAILED}; nothing is called after it. Not called when it stops cleanly.
         */
        public Builder onFailure(Consumer<RecorderFailure> value) {
            onFailure = Objects.requireNonNull(value);
            return this;
        }

        public RecorderDaemon build() {
            Call.Factory http = calls != null ? calls : defaultHttp();
            RecorderListener recorderHooks = listener;
            RunLogListener logHooks = runLogListener;
            if (meterRegistry != null) {
                RecorderMetrics metrics = new RecorderMetrics(meterRegistry);
                recorderHooks = FanOutListener.of(listener, metrics);
                logHooks = FanOutRunLogListener.of(runLogListener, metrics);
            }
            RunLogListener runLogHooks = logHooks;
            Function<RunLogConfig, RunLog> logs =
                    runLogs != null ? runLogs : runLogConfig -> KafkaRunLog.create(runLogConfig, runLogHooks, clock);
            return new RecorderDaemon(
                    config,
                    new Components.Dependencies(clock, http, logs, recorderHooks),
                    kafka != null ? kafka : this::configuredKafka,
                    onFailure,
                    nanoTime);
        }

        private String configuredKafka() {
            if (config.bootstrapServers() == null) {
                throw new IllegalStateException("no Kafka bootstrap servers configured (the recorder library starts no"
                        + " broker; the recorder CLI starts an embedded one when none is given)");
            }
            return config.bootstrapServers();
        }

        private OkHttpClient defaultHttp() {
            return LettaHttpClient.create(config.stallTimeout());
        }
    }
}
