package dev.lsr.sim.internal;

import dev.lsr.sim.FaultPlan;
import dev.lsr.sim.internal.fault.FaultDecider;
import dev.lsr.sim.internal.fault.FaultFrames;
import dev.lsr.sim.internal.producer.RunProducer;
import dev.lsr.sim.internal.producer.ScriptEntry;
import dev.lsr.sim.internal.recorded.Recording;
import dev.lsr.sim.internal.store.Run;
import dev.lsr.sim.internal.store.RunInfo;
import dev.lsr.sim.internal.store.RunRegistry;
import dev.lsr.sim.internal.store.RunStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's state and the operations every entry point shares: the run registry, one
 * producer per run, faults, and shutdown. Thread-safe.
 */
public final class SimEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimEngine.class);

    private final SimConfig config;
    private final RunRegistry registry = new RunRegistry();
    private final Map<String, RunProducer> producers = new ConcurrentHashMap<>();
    private final FaultDecider faults;
    private final Map<String, String> conversationAgents = new ConcurrentHashMap<>();
    private final List<RunStream> emptyStreams = new CopyOnWriteArrayList<>();
    private final ExecutorService producerThreads = Executors.newVirtualThreadPerTaskExecutor();

    public SimEngine(SimConfig config, FaultPlan faultPlan) {
        this.config = config;
        this.faults = new FaultDecider(faultPlan);
    }

    public SimConfig config() {
        return config;
    }

    public RunRegistry registry() {
        return registry;
    }

    public FaultDecider faults() {
        return faults;
    }

    /** Registers a recorded run (under its original id) and starts storing it at the pace. */
    public Run addRecorded(Recording recording) {
        if (!faults.ownFrameFaults(recording.runId()).isEmpty()) {
            throw new IllegalArgumentException(
                    "run " + recording.runId() + " is recorded: stored-frame faults apply only to generated runs");
        }
        RunInfo info = new RunInfo(
                recording.runId(),
                config.recordedAgentId(),
                null,
                true,
                config.clock().instant(),
                "send_conversation_message",
                null,
                registry.nextOrdinal());
        Run run = new Run(info, config.clock(), recording.firstSeq(), config.maxStreamEntries());
        registry.add(run);
        start(run, recording.script(), config.pace());
        LOG.info(
                "run {}: serving recording {} ({} stored frames from seq {})",
                run.id(),
                recording.source(),
                recording.storedCount(),
                recording.firstSeq());
        return run;
    }

    /** Starts storing a generated run's script (with its stored-frame faults inserted). */
    public void startGenerated(Run run, List<ScriptEntry> script, Duration pace) {
        start(
                run,
                FaultFrames.insert(
                        script,
                        faults.frameFaults(run.id()),
                        run.id(),
                        run.info().createdAt()),
                pace);
    }

    private void start(Run run, List<ScriptEntry> script, Duration pace) {
        RunProducer producer = new RunProducer(run, script, pace);
        producers.put(run.id(), producer);
        producer.start(producerThreads);
    }

    /** Cancels an active run; false if it had already ended. */
    public boolean cancel(Run run) {
        RunProducer producer = producers.get(run.id());
        return producer != null && run.requestCancel() && producer.cancel();
    }

    /** Remembers which agent a conversation belongs to. */
    public void registerConversation(String conversationId, String agentId) {
        conversationAgents.put(conversationId, agentId);
    }

    /** The agent of a known conversation, or null. */
    public String agentOf(String conversationId) {
        return conversationAgents.get(conversationId);
    }

    /**
     * An empty stream for a run that has nothing in "Redis" (a foreground run attached by run id or
     * otid): readers of it get only keepalive pings, as on the real server.
     */
    public RunStream emptyStream(String runId) {
        RunStream stream = new RunStream(runId, 1);
        emptyStreams.add(stream);
        return stream;
    }

    /**
     * Starts dropping the stored frames of finished runs older than the retention (Letta's Redis TTL),
     * so a long-running simulator keeps bounded memory; their Run objects stay listed.
     */
    public void startRetentionSweeper() {
        Duration period = config.retention().dividedBy(12);
        Duration every = period.compareTo(Duration.ofSeconds(1)) < 0
                ? Duration.ofSeconds(1)
                : period.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : period;
        producerThreads.execute(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(every);
                    sweep();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Drops the stored frames of finished runs older than the retention; returns how many frames. */
    public int sweep() {
        java.time.Instant cutoff = config.clock().instant().minus(config.retention());
        int dropped = 0;
        for (Run run : registry.all()) {
            if (run.info().createdAt().isBefore(cutoff)) {
                dropped += run.stream().evict();
            }
        }
        if (dropped > 0) {
            LOG.debug("retention: dropped {} stored frames of expired runs", dropped);
        }
        return dropped;
    }

    /** Stops all producers and wakes all readers. */
    @Override
    public void close() {
        producers.values().forEach(RunProducer::stop);
        registry.all().forEach(run -> run.stream().close());
        emptyStreams.forEach(RunStream::close);
        producerThreads.shutdownNow();
    }
}
