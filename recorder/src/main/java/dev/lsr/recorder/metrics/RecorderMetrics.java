package dev.lsr.recorder.metrics;

import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.RunState;
import dev.lsr.recorder.RecorderListener;
import dev.lsr.recorder.log.CommitStats;
import dev.lsr.recorder.log.RunLogFailure;
import dev.lsr.recorder.log.RunLogListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * The recorder's hooks as Micrometer meters: chunks, rejections, gaps, resumes and run ends of the
 * recorder ({@code lsr.recorder.*}), records, transactions, outages and failure of the run log
 * ({@code lsr.runlog.*}). Every tag takes one of a small fixed set of values (unknown ones become
 * {@code other}); run ids are never tags. Thread-safe; pass it to the daemon with {@code RecorderDaemon.Builder.meterRegistry}.
 * The active-runs gauge counts the runs with a hook since their last {@link #runEnded}.
 */
public final class RecorderMetrics implements RecorderListener, RunLogListener {

    private final TaggedCounters rejectedFrames;
    private final TaggedCounters resumes;
    private final TaggedCounters gaps;
    private final Counter gapSeqs;
    private final TaggedCounters endedRuns;
    private final TaggedCounters appendedRecords;
    private final Counter appendedChunks;
    private final Counter appendedChunkBytes;
    private final Counter droppedReplays;
    private final Counter appendedRecordBytes;
    private final Counter rejectedRecords;
    private final Counter committedTransactions;
    private final Counter abortedTransactions;
    private final Counter outages;
    private final Counter skippedCheckpoints;
    private final Timer commitLatency;
    private final Timer transactionDuration;
    private final Timer outageDuration;
    private final DistributionSummary recordsPerTransaction;
    private final Set<String> activeRuns = ConcurrentHashMap.newKeySet();
    private final AtomicInteger ongoingOutages = new AtomicInteger();
    private final AtomicInteger fenced = new AtomicInteger();
    private final AtomicInteger fatal = new AtomicInteger();
    private final Counter lettaOutages;
    private final Timer lettaOutageDuration;
    private final AtomicInteger lettaUnreachable = new AtomicInteger();
    private final AtomicInteger stoppedPartitions = new AtomicInteger();
    private final FleetMeters fleet;

    // The meters' names, laid out for Prometheus (what each becomes there is in docs/operations.md): the
    // noun first, counts without a unit (a counter gets "_total"), bytes ending in ".bytes", timers in
    // seconds ("_seconds"). Public, as readiness checks and tests look meters up by them.
    public static final String CHUNKS_APPENDED = "lsr.recorder.chunks.appended";
    public static final String CHUNK_BYTES_APPENDED = "lsr.recorder.chunks.appended.bytes";
    public static final String FRAMES_REJECTED = "lsr.recorder.frames.rejected";
    public static final String REPLAYS_DROPPED = "lsr.recorder.replays.dropped";
    public static final String GAPS = "lsr.recorder.gaps";
    public static final String GAP_SEQS = "lsr.recorder.gap.seqs";
    public static final String RESUMES = "lsr.recorder.resumes";
    public static final String RUNS_ENDED = "lsr.recorder.runs.ended";
    public static final String RUNS_ACTIVE = "lsr.recorder.runs.active";
    public static final String LETTA_OUTAGES = "lsr.recorder.letta.outages";
    public static final String LETTA_OUTAGE_DURATION = "lsr.recorder.letta.outage.duration";
    public static final String LETTA_UNREACHABLE = "lsr.recorder.letta.unreachable";
    public static final String RECORDS_APPENDED = "lsr.runlog.records.appended";
    public static final String RECORD_BYTES_APPENDED = "lsr.runlog.records.appended.bytes";
    public static final String RECORDS_REJECTED = "lsr.runlog.records.rejected";
    public static final String TRANSACTIONS_COMMITTED = "lsr.runlog.transactions.committed";
    public static final String TRANSACTIONS_ABORTED = "lsr.runlog.transactions.aborted";
    public static final String COMMIT_LATENCY = "lsr.runlog.commit.latency";
    public static final String TRANSACTION_DURATION = "lsr.runlog.transaction.duration";
    public static final String TRANSACTION_RECORDS = "lsr.runlog.transaction.records";
    public static final String OUTAGES = "lsr.runlog.outages";
    public static final String OUTAGE_DURATION = "lsr.runlog.outage.duration";
    public static final String OUTAGES_ONGOING = "lsr.runlog.outages.ongoing";
    public static final String CHECKPOINTS_SKIPPED = "lsr.runlog.checkpoints.skipped";
    public static final String PARTITIONS_STOPPED = "lsr.runlog.partitions.stopped";
    public static final String FAILED = "lsr.runlog.failed";
    public static final String FLEET_PARTITIONS_OWNED = "lsr.runlog.fleet.partitions.owned";
    public static final String FLEET_REBALANCES = "lsr.runlog.fleet.rebalances";
    public static final String FLEET_RESUME_DURATION = "lsr.runlog.fleet.resume.duration";

    /** Commits take milliseconds; seconds mean a slow or retrying broker. */
    private static final Duration[] COMMIT_BUCKETS = durations(
            "PT0.005S",
            "PT0.01S",
            "PT0.025S",
            "PT0.05S",
            "PT0.1S",
            "PT0.25S",
            "PT0.5S",
            "PT1S",
            "PT2.5S",
            "PT5S",
            "PT10S",
            "PT30S");
    /** Outages last seconds to hours. */
    private static final Duration[] OUTAGE_BUCKETS =
            durations("PT1S", "PT5S", "PT15S", "PT30S", "PT1M", "PT2M", "PT5M", "PT15M", "PT30M", "PT1H", "PT3H");

    /** Registers every meter in {@code registry} at once (tagged ones with each of their values, at zero). */
    public RecorderMetrics(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        appendedChunks = counter(registry, CHUNKS_APPENDED, null, "chunks handed to the log");
        appendedChunkBytes =
                counter(registry, CHUNK_BYTES_APPENDED, BaseUnits.BYTES, "payload bytes of the appended chunks");
        rejectedFrames = new TaggedCounters(
                registry, FRAMES_REJECTED, "frames recorded as chunk.rejected", MetricTags.REASON, MetricTags.REASONS);
        droppedReplays = counter(registry, REPLAYS_DROPPED, null, "replayed chunks dropped as already appended");
        gaps = new TaggedCounters(
                registry,
                GAPS,
                "stored frames gone from the server, recorded as run.gap",
                MetricTags.CAUSE,
                MetricTags.GAP_CAUSES);
        gapSeqs = counter(
                registry, GAP_SEQS, null, "seqs missing in the recorded gaps (gaps to the end of a run not counted)");
        resumes = new TaggedCounters(registry, RESUMES, "reconnections to a run", MetricTags.CAUSE, MetricTags.CAUSES);
        endedRuns = new TaggedCounters(
                registry, RUNS_ENDED, "recordings ended, by the run's state", MetricTags.STATE, MetricTags.STATES);
        gauge(registry, RUNS_ACTIVE, activeRuns, Set::size, "runs being recorded");

        appendedRecords = new TaggedCounters(
                registry,
                RECORDS_APPENDED,
                "records queued for a transaction, by type",
                MetricTags.TYPE,
                MetricTags.TYPES);
        appendedRecordBytes =
                counter(registry, RECORD_BYTES_APPENDED, BaseUnits.BYTES, "estimated size of the queued records");
        rejectedRecords = counter(registry, RECORDS_REJECTED, null, "chunks too big for Kafka, replaced");
        committedTransactions = counter(registry, TRANSACTIONS_COMMITTED, null, "transactions committed");
        abortedTransactions = counter(registry, TRANSACTIONS_ABORTED, null, "transactions aborted and retried");
        commitLatency = histogram(
                registry, COMMIT_LATENCY, "from the append of a batch's oldest record to its commit", COMMIT_BUCKETS);
        transactionDuration = histogram(
                registry,
                TRANSACTION_DURATION,
                "from the begin of the successful transaction to its commit",
                COMMIT_BUCKETS);
        recordsPerTransaction = DistributionSummary.builder(TRANSACTION_RECORDS)
                .baseUnit("records")
                .description("chunk and lifecycle records per committed transaction")
                .register(registry);
        outages = counter(registry, OUTAGES, null, "partitions that started retrying with backoff");
        outageDuration =
                histogram(registry, OUTAGE_DURATION, "from an outage's start to the next commit", OUTAGE_BUCKETS);
        gauge(registry, OUTAGES_ONGOING, ongoingOutages, AtomicInteger::get, "partitions retrying now");
        lettaOutages = counter(registry, LETTA_OUTAGES, null, "times Letta stopped answering (once per outage)");
        lettaOutageDuration =
                histogram(registry, LETTA_OUTAGE_DURATION, "from Letta's outage to its next answer", OUTAGE_BUCKETS);
        gauge(registry, LETTA_UNREACHABLE, lettaUnreachable, AtomicInteger::get, "1 while Letta does not answer");
        skippedCheckpoints = counter(registry, CHECKPOINTS_SKIPPED, null, "unreadable checkpoints skipped");
        gauge(
                registry,
                PARTITIONS_STOPPED,
                stoppedPartitions,
                AtomicInteger::get,
                "partitions stopped alone on an unrecoverable producer error");
        failedGauge(registry, MetricTags.FENCED, fenced);
        failedGauge(registry, MetricTags.FATAL, fatal);
        fleet = new FleetMeters(registry);
    }

    @Override
    public void chunkAppended(String runId, int sizeBytes) {
        activeRuns.add(runId);
        appendedChunks.increment();
        appendedChunkBytes.increment(sizeBytes);
    }

    @Override
    public void frameRejected(String runId, String reason) {
        activeRuns.add(runId);
        rejectedFrames.increment(MetricTags.reason(reason));
    }

    @Override
    public void replayDropped(String runId) {
        activeRuns.add(runId);
        droppedReplays.increment();
    }

    @Override
    public void gapRecorded(String runId, String cause, long missing) {
        activeRuns.add(runId);
        gaps.increment(MetricTags.gapCause(cause));
        gapSeqs.increment(Math.max(0, missing));
    }

    @Override
    public void runResumed(String runId, String cause) {
        activeRuns.add(runId);
        resumes.increment(MetricTags.cause(cause));
    }

    @Override
    public void runEnded(String runId, RunState state) {
        activeRuns.remove(runId);
        endedRuns.increment(MetricTags.state(state));
    }

    @Override
    public void recordingFailed(String runId) {
        activeRuns.remove(runId);
        endedRuns.increment(MetricTags.FAILED_RECORDING);
    }

    @Override
    public void lettaOutageStarted(Throwable cause) {
        lettaOutages.increment();
        lettaUnreachable.set(1);
    }

    @Override
    public void lettaOutageEnded(Duration outage) {
        lettaUnreachable.set(0);
        lettaOutageDuration.record(outage);
    }

    @Override
    public void recordAppended(String runId, RecordType type, int sizeBytes) {
        activeRuns.add(runId);
        appendedRecords.increment(MetricTags.type(type));
        appendedRecordBytes.increment(sizeBytes);
    }

    @Override
    public void recordRejected(String runId, Position position, int sizeBytes, int limitBytes) {
        rejectedRecords.increment();
    }

    @Override
    public void transactionCommitted(CommitStats stats) {
        committedTransactions.increment();
        commitLatency.record(stats.sinceOldest());
        transactionDuration.record(stats.transactionTime());
        recordsPerTransaction.record(stats.records());
    }

    @Override
    public void transactionAborted(int partition, Throwable cause) {
        abortedTransactions.increment();
    }

    @Override
    public void outageStarted(int partition, Throwable cause) {
        outages.increment();
        ongoingOutages.incrementAndGet();
    }

    @Override
    public void outageEnded(int partition, Duration outage, int failedAttempts) {
        ongoingOutages.updateAndGet(n -> Math.max(0, n - 1));
        outageDuration.record(outage);
    }

    @Override
    public void checkpointSkipped(String runId, String reason) {
        skippedCheckpoints.increment();
    }

    @Override
    public void partitionStopped(RunLogFailure failure) {
        stoppedPartitions.incrementAndGet();
    }

    @Override
    public void stoppedPartitionReleased(int partition) {
        stoppedPartitions.updateAndGet(n -> Math.max(0, n - 1));
    }

    @Override
    public void failed(RunLogFailure failure) {
        (failure.kind() == RunLogFailure.Kind.FENCED ? fenced : fatal).set(1);
    }

    /** A counter; {@code unit} null for a count (Prometheus names it {@code <name>_total}). */
    private static Counter counter(MeterRegistry registry, String name, String unit, String description) {
        return Counter.builder(name).baseUnit(unit).description(description).register(registry);
    }

    /** A gauge of a count (no unit, so Prometheus keeps the name as is). */
    private static <T> void gauge(
            MeterRegistry registry, String name, T state, ToDoubleFunction<T> value, String description) {
        Gauge.builder(name, state, value)
                .strongReference(true)
                .description(description)
                .register(registry);
    }

    /**
     * A timer with a histogram of these buckets (Prometheus: {@code <name>_seconds_bucket}), so that
     * percentiles can be computed across recorders; a dozen each, as each bucket is a series.
     */
    private static Timer histogram(MeterRegistry registry, String name, String description, Duration[] buckets) {
        return Timer.builder(name)
                .description(description)
                .serviceLevelObjectives(buckets)
                .register(registry);
    }

    private static Duration[] durations(String... iso) {
        return Arrays.stream(iso).map(Duration::parse).toArray(Duration[]::new);
    }

    private static void failedGauge(MeterRegistry registry, String kind, AtomicInteger flag) {
        Gauge.builder(FAILED, flag, AtomicInteger::get)
                .tag(MetricTags.KIND, kind)
                .strongReference(true)
                .description("1 once the run log stopped on this kind of fatal error")
                .register(registry);
    }

    // --- fleet (issue 11): one block, so that other changes to this file merge cleanly ---

    @Override
    public void rebalanced(int owned) {
        fleet.rebalances.increment();
        fleet.owned.set(owned);
    }

    @Override
    public void partitionsTaken(int count, Duration took) {
        fleet.resume.record(took);
    }

    /** A fleet member's partitions: how many it owns, how often the group changed them, how fast it resumed. */
    private static final class FleetMeters {
        private final AtomicInteger owned = new AtomicInteger();
        private final Counter rebalances;
        private final Timer resume;

        FleetMeters(MeterRegistry registry) {
            gauge(
                    registry,
                    FLEET_PARTITIONS_OWNED,
                    owned,
                    AtomicInteger::get,
                    "chunk-topic partitions the group assigns this fleet member");
            rebalances = counter(registry, FLEET_REBALANCES, null, "assignments and revocations of this member");
            resume = histogram(
                    registry,
                    FLEET_RESUME_DURATION,
                    "from an assignment to its runs continuing: fencing, restore, hand-over",
                    COMMIT_BUCKETS);
        }
    }
}
