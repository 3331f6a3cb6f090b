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
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

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

    /** Registers every meter in {@code registry} at once (tagged ones with each of their values, at zero). */
    public RecorderMetrics(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        String r = "lsr.recorder.";
        String l = "lsr.runlog.";
        appendedChunks = counter(registry, r + "appended.chunks", "chunks", "chunks handed to the log");
        appendedChunkBytes =
                counter(registry, r + "appended.bytes", BaseUnits.BYTES, "payload bytes of the appended chunks");
        rejectedFrames = new TaggedCounters(
                registry,
                r + "rejected.frames",
                "frames",
                "frames recorded as chunk.rejected",
                MetricTags.REASON,
                MetricTags.REASONS);
        droppedReplays =
                counter(registry, r + "dropped.replays", "chunks", "replayed chunks dropped as already appended");
        gaps = new TaggedCounters(
                registry,
                r + "gaps",
                "gaps",
                "stored frames gone from the server, recorded as run.gap",
                MetricTags.CAUSE,
                MetricTags.GAP_CAUSES);
        gapSeqs = counter(
                registry,
                r + "gap.seqs",
                "seqs",
                "seqs missing in the recorded gaps (gaps to the end of a run not counted)");
        resumes = new TaggedCounters(
                registry, r + "resumes", "resumes", "reconnections to a run", MetricTags.CAUSE, MetricTags.CAUSES);
        endedRuns = new TaggedCounters(
                registry,
                r + "ended.runs",
                "runs",
                "recordings ended, by the run's state",
                MetricTags.STATE,
                MetricTags.STATES);
        Gauge.builder(r + "active.runs", activeRuns, Set::size)
                .baseUnit("runs")
                .strongReference(true)
                .description("runs being recorded")
                .register(registry);

        appendedRecords = new TaggedCounters(
                registry,
                l + "appended.records",
                "records",
                "records queued for a transaction, by type",
                MetricTags.TYPE,
                MetricTags.TYPES);
        appendedRecordBytes =
                counter(registry, l + "appended.bytes", BaseUnits.BYTES, "estimated size of the queued records");
        rejectedRecords = counter(registry, l + "rejected.records", "records", "chunks too big for Kafka, replaced");
        committedTransactions =
                counter(registry, l + "committed.transactions", "transactions", "transactions committed");
        abortedTransactions =
                counter(registry, l + "aborted.transactions", "transactions", "transactions aborted and retried");
        commitLatency = Timer.builder(l + "commit.latency")
                .description("from the append of a batch's oldest record to its commit")
                .register(registry);
        transactionDuration = Timer.builder(l + "transaction.duration")
                .description("from the begin of the successful transaction to its commit")
                .register(registry);
        recordsPerTransaction = DistributionSummary.builder(l + "transaction.records")
                .baseUnit("records")
                .description("chunk and lifecycle records per committed transaction")
                .register(registry);
        outages = counter(registry, l + "outages", "outages", "partitions that started retrying with backoff");
        outageDuration = Timer.builder(l + "outage.duration")
                .description("from an outage's start to the next commit")
                .register(registry);
        Gauge.builder(l + "ongoing.outages", ongoingOutages, AtomicInteger::get)
                .baseUnit("outages")
                .strongReference(true)
                .description("partitions retrying now")
                .register(registry);
        lettaOutages =
                counter(registry, r + "letta.outages", "outages", "times Letta stopped answering (once per outage)");
        lettaOutageDuration = Timer.builder(r + "letta.outage.duration")
                .description("from Letta's outage to its next answer")
                .register(registry);
        Gauge.builder(r + "letta.unreachable", lettaUnreachable, AtomicInteger::get)
                .strongReference(true)
                .description("1 while Letta does not answer")
                .register(registry);
        skippedCheckpoints =
                counter(registry, l + "skipped.checkpoints", "checkpoints", "unreadable checkpoints skipped");
        Gauge.builder(l + "stopped.partitions", stoppedPartitions, AtomicInteger::get)
                .baseUnit("partitions")
                .strongReference(true)
                .description("partitions stopped alone on an unrecoverable producer error")
                .register(registry);
        failedGauge(registry, l + "failed", MetricTags.FENCED, fenced);
        failedGauge(registry, l + "failed", MetricTags.FATAL, fatal);
        fleet = new FleetMeters(registry, l);
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
    public void failed(RunLogFailure failure) {
        (failure.kind() == RunLogFailure.Kind.FENCED ? fenced : fatal).set(1);
    }

    private static Counter counter(MeterRegistry registry, String name, String unit, String description) {
        return Counter.builder(name).baseUnit(unit).description(description).register(registry);
    }

    private static void failedGauge(MeterRegistry registry, String name, String kind, AtomicInteger flag) {
        Gauge.builder(name, flag, AtomicInteger::get)
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

        FleetMeters(MeterRegistry registry, String prefix) {
            Gauge.builder(prefix + "fleet.owned.partitions", owned, AtomicInteger::get)
                    .baseUnit("partitions")
                    .strongReference(true)
                    .description("chunk-topic partitions the group assigns this fleet member")
                    .register(registry);
            rebalances = counter(
                    registry, prefix + "fleet.rebalances", "rebalances", "assignments and revocations of this member");
            resume = Timer.builder(prefix + "fleet.resume.duration")
                    .description("from an assignment to its runs continuing: fencing, restore, hand-over")
                    .register(registry);
        }
    }
}
