package dev.lsr.sim;

import dev.lsr.settings.LettaRetention;
import dev.lsr.sim.internal.RunFactory;
import dev.lsr.sim.internal.SimConfig;
import dev.lsr.sim.internal.SimEngine;
import dev.lsr.sim.internal.WorkloadDriver;
import dev.lsr.sim.internal.http.SimServer;
import dev.lsr.sim.internal.recorded.Recording;
import dev.lsr.sim.internal.recorded.RecordingLoader;
import dev.lsr.sim.internal.recorded.RecordingSource;
import dev.lsr.sim.internal.store.Run;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Letta-compatible simulated agent server (see {@code letta-sim/README.md}): serves recorded runs
 * under their original run ids and generated runs, as background runs with resume, with Letta's
 * seq_id, ping, retention, lock and cancel rules, and injects faults on demand. Embeddable in tests
 * (port 0, loopback) and runnable standalone ({@link LettaSimMain}).
 *
 * <pre>{@code
 * try (LettaSim sim = LettaSim.builder().recordedRun("05", LettaFixtures.sseBody("05-long-run-with-pings")).start()) {
 *     String url = sim.baseUrl() + "/v1/runs/" + sim.runIds().getFirst() + "/stream";
 * }
 * }</pre>
 *
 * <p>Recorded runs become {@code running} when the simulator starts and store one frame per
 * {@code pace} from then on (all at once for {@link Duration#ZERO}); their {@code created_at} is the
 * start time, so retention counts from there.
 */
public final class LettaSim implements AutoCloseable {

    /** The address a simulator binds by default. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** Letta's keepalive ping interval (protocol: {@code keepalive_interval} 20 s). */
    public static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofSeconds(20);

    /** Letta's resume window. */
    public static final Duration DEFAULT_RETENTION = LettaRetention.STREAM;

    /** The agent id recorded runs are listed under unless {@link Builder#recordedRunsAgentId} says otherwise. */
    public static final String DEFAULT_RECORDED_AGENT_ID = "agent-00000000-0000-4000-8000-00000000a9e7";

    private static final Logger LOG = LoggerFactory.getLogger(LettaSim.class);

    private final SimEngine engine;
    private final SimServer server;
    private final Runnable workloadDriver;
    private final List<String> workloadAgents;

    private LettaSim(SimEngine engine, SimServer server, Runnable workloadDriver, List<String> workloadAgents) {
        this.engine = engine;
        this.server = server;
        this.workloadDriver = workloadDriver;
        this.workloadAgents = workloadAgents;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234} (no trailing slash). */
    public String baseUrl() {
        String host = server.host();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port();
    }

    /** The bound port. */
    public int port() {
        return server.port();
    }

    /** Ids of all known runs (recorded, sent and generated), in creation order. */
    public List<String> runIds() {
        return engine.registry().all().stream().map(Run::id).toList();
    }

    /** Agents known to the simulator: the workload's, then those of runs (recorded, sent), first seen first. */
    public List<String> agentIds() {
        java.util.LinkedHashSet<String> agents = new java.util.LinkedHashSet<>(workloadAgents);
        engine.registry().all().forEach(run -> agents.add(run.info().agentId()));
        return List.copyOf(agents);
    }

    /**
     * The stored frames of a run so far, in seq order, each with its seq and its exact stored bytes.
     * Empty for a foreground run (nothing is stored for those).
     *
     * @throws IllegalArgumentException for an unknown run id
     */
    public List<StoredFrame> storedFrames(String runId) {
        Run run = engine.registry().find(runId).orElseThrow(() -> new IllegalArgumentException("unknown run " + runId));
        return run.info().background() ? run.stream().frames() : List.of();
    }

    /**
     * Loses a finished background run's stored stream, as Letta does when its Redis key is flushed or evicted before
     * the 3 h retention (protocol §3.3): the run is still known and still younger than 3 h, so a resume is not
     * refused; its reader finds nothing and polls for good (keepalive pings only).
     *
     * @return the number of stored frames lost (0 for a run still in progress: nothing is lost)
     * @throws IllegalArgumentException for an unknown run id
     */
    public int loseStoredStream(String runId) {
        Run run = engine.registry().find(runId).orElseThrow(() -> new IllegalArgumentException("unknown run " + runId));
        return run.stream().evict();
    }

    /** Stops the workload, the producers and the server; open streams are aborted. */
    @Override
    public void close() {
        workloadDriver.run();
        engine.close();
        try {
            server.close();
        } catch (RuntimeException e) {
            LOG.warn("stopping the HTTP server failed", e);
        }
    }

    /** Configures and starts a {@link LettaSim}. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port;
        private String apiKey;
        private final List<Path> runDirectories = new ArrayList<>();
        private final List<RecordingSource> recordings = new ArrayList<>();
        private Duration pace = Duration.ZERO;
        private Duration keepaliveInterval = DEFAULT_KEEPALIVE_INTERVAL;
        private Duration retention = DEFAULT_RETENTION;
        private Clock clock = Clock.systemUTC();
        private Workload workload;
        private FaultPlan faults = FaultPlan.none();
        private boolean userAgentGate = true;
        private String recordedAgentId = DEFAULT_RECORDED_AGENT_ID;
        private int maxStreamEntries;

        private Builder() {}

        /** Port to bind; 0 (default) = ephemeral. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Address to bind; default 127.0.0.1. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        /** Require {@code Authorization: Bearer <apiKey>} on every request (else 401). */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** Serve every {@code *.sse} body and {@code *.jsonl} chunk file under a directory (recursively). */
        public Builder recordedRuns(Path directory) {
            runDirectories.add(directory);
            return this;
        }

        /** Serve a recorded SSE body. */
        public Builder recordedRun(String name, byte[] sseBody) {
            recordings.add(new RecordingSource(name, sseBody.clone(), true));
            return this;
        }

        /** Serve a recorded chunk file (one {@code data:} payload per line). */
        public Builder recordedChunks(String name, byte[] jsonl) {
            recordings.add(new RecordingSource(name, jsonl.clone(), false));
            return this;
        }

        /** Time between stored frames of recorded and generated runs; ZERO (default) = all at once. */
        public Builder pace(Duration perFrame) {
            this.pace = requireNonNegative(perFrame, "pace");
            return this;
        }

        /** Silence after which a connection gets a keepalive ping; default 20 s. */
        public Builder keepaliveInterval(Duration interval) {
            if (interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("keepaliveInterval must be positive");
            }
            this.keepaliveInterval = interval;
            return this;
        }

        /** Age after which a run can no longer be resumed (410); default 3 h. */
        public Builder retention(Duration retention) {
            this.retention = requireNonNegative(retention, "retention");
            return this;
        }

        /** Time source for chunk dates, creation times and retention; default system UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** A seeded generator of runs; default none (sends still get a small generated run). */
        public Builder workload(Workload workload) {
            this.workload = workload;
            return this;
        }

        /** Faults to inject; default none. */
        public Builder faults(FaultPlan faults) {
            this.faults = Objects.requireNonNull(faults);
            return this;
        }

        /**
         * Whether {@code POST /v1/agents/{id}/messages} with {@code streaming:true} answers 422 to
         * non-SDK user agents, as Letta does (default true).
         */
        public Builder userAgentGate(boolean enabled) {
            this.userAgentGate = enabled;
            return this;
        }

        /**
         * Keep at most this many stored frames per run for readers, dropping the oldest as new ones are
         * stored, like Letta's {@code XADD ... MAXLEN ~ 10000}: a reader that falls further behind (or
         * resumes from below the oldest entry left) silently misses the dropped frames. Default 0: keep all.
         */
        public Builder maxStreamEntries(int maxEntries) {
            if (maxEntries < 0) {
                throw new IllegalArgumentException("maxStreamEntries must not be negative");
            }
            this.maxStreamEntries = maxEntries;
            return this;
        }

        /** The agent id recorded runs are listed under. */
        public Builder recordedRunsAgentId(String agentId) {
            this.recordedAgentId = Objects.requireNonNull(agentId);
            return this;
        }

        /** Loads the recordings, binds the server and starts the producers and the workload. */
        public LettaSim start() {
            SimConfig config = new SimConfig(
                    host,
                    port,
                    apiKey,
                    pace,
                    keepaliveInterval,
                    retention,
                    clock,
                    userAgentGate,
                    recordedAgentId,
                    maxStreamEntries);
            List<RecordingSource> sources = new ArrayList<>();
            runDirectories.forEach(dir -> sources.addAll(RecordingLoader.scan(dir)));
            sources.addAll(recordings);
            List<Recording> selected = RecordingLoader.select(sources);
            SimEngine engine = new SimEngine(config, faults);
            RunFactory factory = new RunFactory(engine, workload);
            WorkloadDriver driver = workload == null ? null : new WorkloadDriver(engine, factory, workload);
            SimServer server = new SimServer(engine, factory);
            try {
                selected.forEach(engine::addRecorded);
                server.start();
                engine.startRetentionSweeper();
            } catch (Exception e) {
                engine.close();
                closeQuietly(server);
                throw new IllegalStateException("letta-sim failed to start: " + e.getMessage(), e);
            }
            if (driver != null) {
                driver.start();
            }
            List<String> agents = driver == null
                    ? List.of()
                    : driver.conversations().stream()
                            .map(WorkloadDriver.Conversation::agentId)
                            .distinct()
                            .toList();
            LettaSim sim = new LettaSim(engine, server, driver == null ? () -> {} : driver::close, agents);
            LOG.info("letta-sim listening on {} with {} recorded runs", sim.baseUrl(), selected.size());
            return sim;
        }

        private static void closeQuietly(SimServer server) {
            try {
                server.close();
            } catch (RuntimeException ignored) {
                // already failing
            }
        }

        private static Duration requireNonNegative(Duration duration, String name) {
            if (duration.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative");
            }
            return duration;
        }
    }
}
