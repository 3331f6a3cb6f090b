package dev.lsr.bench.system.internal;

import dev.lsr.bench.system.CountCheck;
import dev.lsr.bench.system.ResultRow;
import dev.lsr.bench.system.Scenario;
import dev.lsr.bench.system.ScenarioReport;
import dev.lsr.consumer.reader.ChunkLogReader;
import dev.lsr.consumer.reader.ReplayProgress;
import dev.lsr.consumer.reader.ReplayStats;
import dev.lsr.consumer.reader.RunFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 3: rebuild the Letta Code buffers of every run of a large log (full: at least 1M chunks over
 * thousands of runs) with our reader and projection, vs a raw read_committed consumer reading the same
 * topic. Both are measured in chunks of the log per second. Target: at least 0.7 of the baseline.
 */
public final class RebuildScenario {

    private static final Logger LOG = LoggerFactory.getLogger(RebuildScenario.class);
    private static final double TARGET = 0.8;
    /**
     * Decode-and-fold threads of our replay (the reading thread comes on top): one per core unless
     * {@code -Dbench.rebuild.workers=N} says otherwise; 1 is the single-threaded {@code replay}.
     */
    private static final int WORKERS = Math.max(
            1, Integer.getInteger("bench.rebuild.workers", Runtime.getRuntime().availableProcessors()));

    private final BenchContext context;
    private final List<CountCheck> checks = new ArrayList<>();
    private int baselineTrials;
    private int oursTrials;

    public RebuildScenario(BenchContext context) {
        this.context = context;
    }

    public ScenarioReport run() {
        FilledLog log = context.largeLog();
        Alternation.Result result = Alternation.run(
                "rebuild",
                context.settings().pairs(),
                !context.settings().smoke(),
                pair -> baseline(log),
                pair -> ours(log));
        ResultRow row = ResultRow.targeted(
                "chunks/s read (buffers for all runs)",
                result.baselineSpread(),
                result.oursSpread(),
                result.ratio(),
                0,
                "ratio ≥ " + TARGET,
                result.ratio().median() >= TARGET);
        return new ScenarioReport(
                Scenario.REBUILD,
                List.of(row),
                List.copyOf(checks),
                List.of("Log of " + log.chunks() + " chunks in " + log.runs()
                        + " runs (fixtures 01-06 under new run ids, 50 runs interleaved), written by a transactional producer;"
                        + " baseline: a raw read_committed KafkaConsumer reading the same topic, values untouched;"
                        + " ours: "
                        + (WORKERS == 1
                                ? "ChunkLogReader.replay, one thread"
                                : "ChunkLogReader.replayInParallel, the reading thread + " + WORKERS
                                        + " decode-and-fold threads")
                        + "."));
    }

    private double baseline(FilledLog log) {
        CpuMeter cpu = new CpuMeter();
        TrialRecording jfr = TrialRecording.start("rebuild-baseline-" + ++baselineTrials);
        long start = System.nanoTime();
        RawCommittedRead.Result read = RawCommittedRead.readAll(context.kafka(), log.topic());
        double seconds = (System.nanoTime() - start) / 1e9;
        jfr.stop();
        logCpu("baseline", cpu.stop(), log);
        checks.add(new CountCheck("baseline records read", log.records(), read.records()));
        return log.chunks() / seconds;
    }

    private double ours(FilledLog log) {
        List<StreamingRebuild> rebuilds =
                Stream.generate(StreamingRebuild::new).limit(WORKERS).toList();
        CpuMeter cpu = new CpuMeter();
        TrialRecording jfr = TrialRecording.start("rebuild-ours-" + ++oursTrials);
        long start = System.nanoTime();
        ReplayStats stats;
        try (ChunkLogReader reader =
                ChunkLogReader.open(context.kafka().clientProperties(), log.topic(), Duration.ofSeconds(30))) {
            stats = WORKERS == 1
                    ? reader.replay(RunFilter.all(), rebuilds.getFirst(), ReplayProgress.NONE)
                    : reader.replayInParallel(RunFilter.all(), rebuilds, ReplayProgress.NONE);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        jfr.stop();
        logCpu("ours", cpu.stop(), log);
        checks.add(new CountCheck(
                "runs rebuilt",
                log.runs(),
                rebuilds.stream().mapToLong(StreamingRebuild::runs).sum()));
        checks.add(new CountCheck(
                "chunks folded",
                log.chunks(),
                rebuilds.stream().mapToLong(StreamingRebuild::chunks).sum()));
        checks.add(new CountCheck("records with problems", 0, stats.skipped() + stats.gaps() + stats.truncatedRuns()));
        return log.chunks() / seconds;
    }

    /** CPU per chunk is steadier than chunks/s on a shared machine: logged for each trial. */
    private static void logCpu(String side, CpuMeter.Usage usage, FilledLog log) {
        LOG.info(
                "rebuild {}: {} ms CPU per 1,000 chunks (whole JVM, broker included); {}",
                side,
                Math.round(usage.cpuMillisPer(log.chunks() / 1000.0)),
                usage.describe());
    }
}
