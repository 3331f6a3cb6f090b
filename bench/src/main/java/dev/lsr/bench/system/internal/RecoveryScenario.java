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
import java.util.Optional;
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
    private final List<Double> backCached = new ArrayList<>();
    private final List<Double> readyCached = new ArrayList<>();
    private final List<Integer> activeCounts = new ArrayList<>();
    /** Why the startup-cache rows are missing, when they are. */
    private String noCacheBecause = "";

    private final int runs;
    private long seed = 400;

    public RecoveryScenario(BenchContext context) {
        this.context = context;
        this.runs = context.settings().size(20, 1_050);
    }

    public ScenarioReport run() {
        FilledLog large = context.largeLog();
        Optional<StartupCache> cache = trainedCache();
        Alternation.Result result = Alternation.run(
                "recovery", context.settings().pairs(), pair -> trial(null, readySmall, Launch.PLAIN), pair -> {
                    double seconds = trial(large, readyLarge, Launch.PLAIN);
                    cache.ifPresent(trained -> backCached.add(trial(large, readyCached, Launch.on(trained))));
                    return seconds;
                });
        boolean met = result.baselineSpread().max() <= TARGET_SECONDS
                && result.oursSpread().max() <= TARGET_SECONDS
                && Math.abs(result.ratio().median() - 1) <= FLAT_WITHIN;
        List<ResultRow> rows = new ArrayList<>(List.of(
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
                        2)));
        cache.ifPresent(trained -> rows.addAll(List.of(
                ResultRow.info(
                        "s from restart to all active runs back, large log, the recorder on the image's startup cache"
                                + " (baseline: without it, the same pair)",
                        result.oursSpread(),
                        Spread.of(backCached),
                        Spread.ofRatios(backCached, result.ours()),
                        2),
                ResultRow.info(
                        "s from restart (JVM spawn) to recorder RUNNING, large log, on the startup cache (baseline:"
                                + " without it)",
                        Spread.of(readyLarge),
                        Spread.of(readyCached),
                        Spread.ofRatios(readyCached, readyLarge),
                        2))));
        return new ScenarioReport(
                Scenario.RECOVERY,
                rows,
                checks,
                List.of(
                        cacheNote(cache),
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

    /**
     * The JVM options of a trial's two recorders: none; the second one training the startup cache (it stops cleanly,
     * so its JVM writes the cache); or both started on it, as every start of the image is.
     */
    private record Launch(String name, String description, List<String> first, List<String> second) {
        static final Launch PLAIN = new Launch("", "", List.of(), List.of());

        static Launch training(StartupCache cache) {
            return new Launch("-training", ", training the startup cache", List.of(), cache.trainingOptions());
        }

        static Launch on(StartupCache cache) {
            return new Launch("-cached", ", on the startup cache", cache.startOptions(), cache.startOptions());
        }
    }

    /**
     * On Java 25+, a small-log trial (not measured) whose restarted recorder trains the startup cache the image ships
     * with (docker/recorder/java-args.sh); empty when this JVM cannot make one or the training wrote none.
     */
    private Optional<StartupCache> trainedCache() {
        Optional<StartupCache> cache = StartupCache.at(context.workDir().resolve("recovery-recorder.aot"));
        if (cache.isEmpty()) {
            noCacheBecause = "the AOT cache needs Java " + StartupCache.FIRST_JAVA + "+ (this is Java "
                    + Runtime.version().feature() + ")";
            LOG.info("recovery: no startup cache: {}", noCacheBecause);
            return cache;
        }
        trial(null, new ArrayList<>(), Launch.training(cache.get()));
        if (!cache.get().written()) {
            noCacheBecause = "the training run wrote none (a JVM writes no AOT cache over a class path holding a"
                    + " non-empty directory; its log: recovery-small-training-second.log)";
            LOG.warn(
                    "recovery: no startup cache at {}: {}; measured without",
                    cache.get().file(),
                    noCacheBecause);
            return Optional.empty();
        }
        return cache;
    }

    private String cacheNote(Optional<StartupCache> cache) {
        return cache.isPresent()
                ? "The startup-cache rows: before the pairs, one small-log trial (not measured) whose restarted"
                        + " recorder trains the AOT cache the recorder image ships with (docker/recorder/java-args.sh);"
                        + " then each pair ends with a third trial on the large log whose two recorders start on that"
                        + " cache (-XX:AOTMode=on), set beside the pair's large-log trial without it. bin/recorder starts"
                        + " without a cache: the targeted row is the one without."
                : "No startup-cache rows: " + noCacheBecause + ".";
    }

    private double trial(FilledLog large, List<Double> readySeconds, Launch launch) {
        String topic = large != null ? large.topic() : context.newTopic("recovery-small");
        if (large == null) {
            context.kafka().createChunkTopics(topic, Sizes.PARTITIONS);
        }
        String logSize = large != null ? "large" : "small";
        String size = logSize + launch.name();
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
                        launch.first(),
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
                        launch.second(),
                        "recovery-" + size + "-second")) {
                    second.awaitReady(Duration.ofSeconds(120));
                    readySeconds.add((second.readyNanos() - second.spawnedNanos()) / 1e9);
                    boolean all = RecoveryProbe.await(probe::runsSeenSince, active.size(), 120_000, second);
                    checks.add(new CountCheck(
                            "runs active at the kill reattached with a new chunk (" + logSize + " log"
                                    + launch.description() + ")",
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
            LOG.info(
                    "recovery {} log{}: all {} active runs back in {} s",
                    logSize,
                    launch.description(),
                    active.size(),
                    seconds);
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
