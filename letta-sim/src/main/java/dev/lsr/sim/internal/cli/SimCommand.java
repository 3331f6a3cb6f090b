package dev.lsr.sim.internal.cli;

import dev.lsr.settings.ExitCode;
import dev.lsr.sim.FaultPlan;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.RandomFaults;
import dev.lsr.sim.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code letta-sim} command line: options parsed once, then a {@link LettaSim} until SIGINT/SIGTERM. */
@Command(
        name = "letta-sim",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "A Letta-compatible simulated agent server: recorded and generated runs, resume, faults.")
public final class SimCommand implements Callable<Integer> {

    @Option(names = "--host", description = "Address to bind (default ${DEFAULT-VALUE}).")
    String host = LettaSim.DEFAULT_HOST;

    @Option(names = "--port", description = "Port to bind, 0 = ephemeral (default ${DEFAULT-VALUE}).")
    int port = 8283;

    @Option(names = "--runs", paramLabel = "DIR", description = "Serve every *.sse / *.jsonl under DIR (repeatable).")
    List<Path> runs = new ArrayList<>();

    @Option(
            names = "--api-key-env",
            paramLabel = "VAR",
            description = "Require 'Authorization: Bearer <key>' with the key read from this environment variable.")
    String apiKeyEnv;

    @Option(
            names = "--pace",
            converter = DurationConverter.class,
            description = "Time between stored frames of recorded/generated runs (default 0 = all at once).")
    Duration pace = Duration.ZERO;

    @Option(
            names = "--keepalive",
            converter = DurationConverter.class,
            description = "Keepalive ping interval (default ${DEFAULT-VALUE}).")
    Duration keepalive = LettaSim.DEFAULT_KEEPALIVE_INTERVAL;

    @Option(
            names = "--retention",
            converter = DurationConverter.class,
            description = "Resume window (default ${DEFAULT-VALUE}).")
    Duration retention = LettaSim.DEFAULT_RETENTION;

    @Option(
            names = "--max-stream-entries",
            paramLabel = "N",
            description = "Keep at most N stored frames per run for readers, oldest dropped first, like Letta's "
                    + "MAXLEN ~ 10000 (default 0 = keep all).")
    int maxStreamEntries;

    @Option(
            names = "--no-ua-gate",
            description = "Do not answer 422 to non-SDK user agents on POST /v1/agents/{id}/messages.")
    boolean noUserAgentGate;

    @Option(names = "--seed", description = "Seed of the generator (default ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--agents", description = "Workload agents (default ${DEFAULT-VALUE}).")
    int agents = Workload.DEFAULT_AGENTS;

    @Option(
            names = "--conversations-per-agent",
            description = "Workload conversations per agent (default ${DEFAULT-VALUE}).")
    int conversationsPerAgent = Workload.DEFAULT_CONVERSATIONS_PER_AGENT;

    @Option(names = "--workload-runs", description = "Workload runs to start (default 0 = no workload).")
    int workloadRuns;

    @Option(
            names = "--chunks-per-run",
            description = "About how many chunks a generated run streams (default ${DEFAULT-VALUE}).")
    int chunksPerRun = Workload.DEFAULT_CHUNKS_PER_RUN;

    @Option(names = "--chunk-rate", description = "Frames per second per workload run (default 0 = use --pace).")
    double chunkRate;

    @Option(names = "--arrival-rate", description = "New workload runs per second (default 0 = all at once).")
    double arrivalRate;

    @Option(
            names = "--step-mode",
            description = "Workload runs in step mode (one chunk per message) instead of token deltas.")
    boolean stepMode;

    @Option(names = "--fault-seed", description = "Seed of the random faults (default ${DEFAULT-VALUE}).")
    long faultSeed = 7;

    @Option(names = "--fault-drop", description = "Probability per connection of an abrupt abort.")
    double faultDrop;

    @Option(names = "--fault-eof", description = "Probability per connection of a clean early EOF.")
    double faultEof;

    @Option(names = "--fault-stall", description = "Probability per connection of a stall without pings.")
    double faultStall;

    @Option(
            names = "--fault-stall-duration",
            converter = DurationConverter.class,
            description = "Stall length (default ${DEFAULT-VALUE}).")
    Duration faultStallDuration = RandomFaults.DEFAULT_STALL_DURATION;

    @Option(
            names = "--fault-error-frame",
            description =
                    "Probability per connection of a per-connection error frame (Cloud deploy or legacy writer shape; the run goes on).")
    double faultErrorFrame;

    @Option(names = "--fault-reject", description = "Probability per resume of an HTTP error answer.")
    double faultReject;

    @Option(names = "--fault-reject-status", description = "Status of rejected resumes (default ${DEFAULT-VALUE}).")
    int faultRejectStatus = RandomFaults.DEFAULT_REJECT_STATUS;

    @Option(names = "--fault-malformed", description = "Probability per generated run of a stored non-JSON frame.")
    double faultMalformed;

    @Option(names = "--fault-oversized", description = "Probability per generated run of a stored oversized frame.")
    double faultOversized;

    @Option(names = "--fault-oversized-bytes", description = "Size of an oversized frame (default ${DEFAULT-VALUE}).")
    int faultOversizedBytes = RandomFaults.DEFAULT_OVERSIZED_BYTES;

    @Option(
            names = "--fault-invalid-utf8",
            description = "Probability per generated run of a stored invalid-UTF-8 frame.")
    double faultInvalidUtf8;

    @Option(
            names = "--fault-max-frames",
            description = "Faults happen within the first N frames (default ${DEFAULT-VALUE}).")
    int faultMaxFrames = RandomFaults.DEFAULT_MAX_FRAMES;

    @Override
    public Integer call() throws InterruptedException {
        LettaSim.Builder builder = LettaSim.builder()
                .host(host)
                .port(port)
                .pace(pace)
                .keepaliveInterval(keepalive)
                .retention(retention)
                .userAgentGate(!noUserAgentGate)
                .maxStreamEntries(maxStreamEntries);
        runs.forEach(builder::recordedRuns);
        if (apiKeyEnv != null) {
            String key = System.getenv(apiKeyEnv);
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("environment variable " + apiKeyEnv + " is not set");
            }
            builder.apiKey(key);
        }
        builder.workload(Workload.builder(seed)
                .agents(agents)
                .conversationsPerAgent(conversationsPerAgent)
                .runs(workloadRuns)
                .chunksPerRun(chunksPerRun)
                .chunksPerSecond(chunkRate)
                .arrivalRate(arrivalRate)
                .streamTokens(!stepMode)
                .build());
        builder.faults(FaultPlan.builder()
                .random(RandomFaults.builder(faultSeed)
                        .drop(faultDrop)
                        .cleanEof(faultEof)
                        .stall(faultStall, faultStallDuration)
                        .errorFrame(faultErrorFrame)
                        .reject(faultReject, faultRejectStatus)
                        .malformed(faultMalformed)
                        .oversized(faultOversized, faultOversizedBytes)
                        .invalidUtf8(faultInvalidUtf8)
                        .maxFramesBeforeFault(faultMaxFrames)
                        .build())
                .build());
        CountDownLatch stopped = new CountDownLatch(1);
        LettaSim sim = builder.start();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            sim.close();
                            stopped.countDown();
                        },
                        "letta-sim-shutdown"));
        System.out.println(
                "letta-sim listening on " + sim.baseUrl() + " (" + sim.runIds().size() + " runs known)");
        stopped.await();
        return ExitCode.OK.code();
    }
}
