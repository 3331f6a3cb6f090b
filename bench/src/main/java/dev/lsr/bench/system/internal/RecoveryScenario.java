package dev.lsr.bench.system.internal;

import dev.lsr.bench.system.CountCheck;
import dev.lsr.bench.system.ResultRow;
import dev.lsr.bench.system.Scenario;
import dev.lsr.bench.system.ScenarioReport;
import dev.lsr.bench.system.Spread;
import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RunState;
import dev.lsr.chunklog.TopicConventions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 4: a recorder (child JVM) records 1,000 active runs; it is SIGKILLed and started again at
 * once; measured: from the new JVM's spawn until every run is reattached and has a chunk received by
 * the new recorder visible to read_committed. Alternated over a small log (only the trial's own
 * records) and the large pre-filled log (at least 1M chunks, and the checkpoint records the recorder
 * would have written for them: one per run per transaction), to show
 * that the restart cost does not grow with the log. Target (issue 14): at most 3 s, and flat (±20 %) from the small log to the large one.
 */
public final class RecoveryScenario {

    private static final Logger LOG = LoggerFactory.getLogger(RecoveryScenario.class);
    private static final double TARGET_SECONDS = 3;
    /** Issue 14: flat from a small log to a large one, within ±20 %. */
    private static final double FLAT_WITHIN = 0.2;

    private static final double CHUNKS_PER_SECOND_PER_RUN = 2;

    private final BenchContext context;
    private final List<CountCheck> checks = new ArrayList<>();
    private final List<Double> readySmall = new ArrayList<>();
    private final List<Double> readyLarge = new ArrayList<>();
    private final List<Integer> activeCounts = new ArrayList<>();
    private final int runs;
    private long seed = 400;

    public RecoveryScenario(BenchContext context) {
        this.context = context;
        this.runs = context.settings().size(20, 1_050);
    }

    public ScenarioReport run() {
        FilledLog large = context.largeLog();
        Alternation.Result result = Alternation.run(
                "recovery",
                context.settings().pairs(),
                pair -> trial(null, readySmall),
                pair -> trial(large, readyLarge));
        boolean met = result.baselineSpread().max() <= TARGET_SECONDS
                && result.oursSpread().max() <= TARGET_SECONDS
                && Math.abs(result.ratio().median() - 1) <= FLAT_WITHIN;
        List<ResultRow> rows = List.of(
                ResultRow.targeted(
                        "s from restart to all active runs ("
                                + activeCounts.stream().mapToInt(i -> i).min().orElse(0) + "–"
                                + activeCounts.stream().mapToInt(i -> i).max().orElse(0)
                                + ") reattached with a new committed chunk (baseline: small log, ours: large log)",
                        result.baselineSpread(),
                        result.oursSpread(),
                        result.ratio(),
                        2,
                        "≤ " + (int) TARGET_SECONDS + " s, large/small within ±" + Math.round(FLAT_WITHIN * 100) + " %",
                        met),
                ResultRow.info(
                        "s from restart (JVM spawn) to recorder RUNNING (restore included)",
                        Spread.of(readySmall),
                        Spread.of(readyLarge),
                        Spread.ofRatios(readyLarge, readySmall),
                        2));
        return new ScenarioReport(
                Scenario.RECOVERY,
                rows,
                checks,
                List.of(
                        runs + " runs at "
                                + CHUNKS_PER_SECOND_PER_RUN
                                + " chunks/s each, of which those still active at the kill (a few"
                                + " generated runs are short and end before) are tracked; SIGKILL, then a new JVM at once (no attach list:"
                                + " it continues the runs from their checkpoints). Small log: only the trial's own records;"
                                + " large log: " + large.chunks() + " chunks of " + large.runs()
                                + " finished runs with "
                                + large.checkpoints()
                                + " checkpoint records (one per run per recorder transaction, as the recorder"
                                + " writes them, in topics the recorder created) plus the earlier trials' runs. Timed from the spawn of the new JVM (JVM start"
                                + " included) to the moment the last run's new chunk was visible to a read_committed consumer."));
    }

    private double trial(FilledLog large, List<Double> readySeconds) {
        String topic = large != null ? large.topic() : context.newTopic("recovery-small");
        if (large == null) {
            context.kafka().createChunkTopics(topic, Sizes.PARTITIONS);
        }
        String size = large != null ? "large" : "small";
        int chunksPerRun = (int) (CHUNKS_PER_SECOND_PER_RUN * 240);
        try (SimLoad sim = SimLoad.start(seed++, runs, chunksPerRun, CHUNKS_PER_SECOND_PER_RUN)) {
            RecoveryProbe probe = new RecoveryProbe(new HashSet<>(sim.runIds()));
            double seconds;
            List<String> active;
            try (ChunkWatcher watcher = ChunkWatcher.start(context.kafka(), topic, false, probe)) {
                try (ChildRecorder first = ChildRecorder.spawn(
                        context,
                        sim.baseUrl(),
                        topic,
                        Sizes.COMMIT_WINDOW,
                        sim.runIds(),
                        "1g",
                        "recovery-" + size + "-first")) {
                    first.awaitReady(Duration.ofSeconds(120));
                    if (!RecoveryProbe.await(probe::runsSeen, runs, 120_000, first)) {
                        throw new IllegalStateException("only " + probe.runsSeen() + " of " + runs + " runs recorded");
                    }
                    first.sleep(context.settings().size(300, 1_000));
                    first.kill();
                }
                active = sim.activeRunIds();
                long restartMicros = ChunkWatcher.nowMicros();
                probe.since(new HashSet<>(active), restartMicros);
                try (ChildRecorder second = ChildRecorder.spawn(
                        context,
                        sim.baseUrl(),
                        topic,
                        Sizes.COMMIT_WINDOW,
                        List.of(),
                        "1g",
                        "recovery-" + size + "-second")) {
                    second.awaitReady(Duration.ofSeconds(120));
                    readySeconds.add((second.readyNanos() - second.spawnedNanos()) / 1e9);
                    boolean all = RecoveryProbe.await(probe::runsSeenSince, active.size(), 120_000, second);
                    checks.add(new CountCheck(
                            "runs active at the kill reattached with a new chunk (" + size + " log)",
                            active.size(),
                            probe.runsSeenSince()));
                    if (!all) {
                        throw new IllegalStateException(
                                "only " + probe.runsSeenSince() + " of " + active.size() + " runs reattached");
                    }
                    seconds = (probe.lastVisibleMicros() - restartMicros) / 1e6;
                    watcher.requireHealthy();
                }
            }
            LOG.info("recovery {} log: all {} active runs back in {} s", size, active.size(), seconds);
            activeCounts.add(active.size());
            if (large != null) {
                markFinished(topic, sim.runIds());
            }
            return seconds;
        } finally {
            if (large == null) {
                context.kafka().deleteTopics(Set.of(topic, topic + ".checkpoints"));
            }
        }
    }

    /** Ends the trial's runs in the shared large log, so the next trial on it does not continue them. */
    private void markFinished(String topic, List<String> runIds) {
        try (KafkaProducer<byte[], byte[]> producer =
                context.kafka().transactionalProducer("bench-recovery-" + topic)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (String runId : runIds) {
                Checkpoint done = Checkpoint.of(runId, Position.START, RunState.FINISHED, null, null, Instant.now());
                producer.send(new ProducerRecord<>(
                        TopicConventions.checkpointTopic(topic),
                        TopicConventions.partitionFor(runId, Sizes.PARTITIONS),
                        runId.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        done.toJson()));
            }
            producer.commitTransaction();
        }
    }
}
