package dev.lsr.recorder.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.RunState;
import dev.lsr.recorder.internal.drain.ConnectionEnd;
import dev.lsr.recorder.log.CommitStats;
import dev.lsr.recorder.log.RunLogFailure;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RecorderMetricsTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final RecorderMetrics metrics = new RecorderMetrics(registry);

    @Test
    void chunksCountWithTheirBytesAndNothingElseMoves() {
        metrics.chunkAppended("run-1", 100);
        metrics.chunkAppended("run-1", 23);

        assertEquals(2, count("lsr.recorder.chunks.appended"));
        assertEquals(123, count("lsr.recorder.chunks.appended.bytes"));
        assertEquals(0, count("lsr.recorder.replays.dropped"));
        assertEquals(0, count("lsr.runlog.records.appended"));
    }

    @Test
    void rejectedFramesAreTaggedWithTheirReasonAndUnknownReasonsFoldIntoOther() {
        metrics.frameRejected("run-1", "malformed_json");
        metrics.frameRejected("run-1", "malformed_json");
        metrics.frameRejected("run-2", "oversized");
        metrics.frameRejected("run-2", "something new " + System.nanoTime());

        assertEquals(
                Map.of("malformed_json", 2.0, "oversized", 1.0, "other", 1.0, "invalid_utf8", 0.0),
                countsByTag("lsr.recorder.frames.rejected", "reason"));
    }

    @Test
    void resumeCausesMapToASmallFixedSet() {
        for (String cause :
                List.of("eof", "stall", "io_error", "restart", "http_503", "http_500", "http_429", "weird", "http_5")) {
            metrics.runResumed("run-1", cause);
        }
        metrics.runResumed("run-1", null);

        assertEquals(
                Map.of(
                        "eof",
                        1.0,
                        "stall",
                        1.0,
                        "io_error",
                        1.0,
                        "restart",
                        1.0,
                        "http_5xx",
                        2.0,
                        "http_4xx",
                        1.0,
                        "error_frame",
                        0.0,
                        "reattach",
                        0.0,
                        "other",
                        3.0),
                countsByTag("lsr.recorder.resumes", "cause"));
    }

    /**
     * Every cause the recorder writes into a {@code run.resumed} record is a series of its own, not {@code other}:
     * a run cut by an error frame (a Letta Cloud deploy) and one a failed session of this recorder went further with.
     */
    @Test
    void everyResumeCauseTheRecorderWritesHasItsOwnSeries() {
        List<String> written = List.of(
                ConnectionEnd.Disconnected.EOF,
                ConnectionEnd.Disconnected.IO_ERROR,
                ConnectionEnd.Disconnected.STALL,
                ConnectionEnd.ErrorFrame.CAUSE,
                "restart",
                "reattach");
        written.forEach(cause -> metrics.runResumed("run-1", cause));

        Map<String, Double> byCause = countsByTag("lsr.recorder.resumes", "cause");
        for (String cause : written) {
            assertEquals(1.0, byCause.get(cause), cause + " in " + byCause);
        }
        assertEquals(0.0, byCause.get("other"), byCause.toString());
    }

    @Test
    void runsEndedAreTaggedWithTheirStateAndAStopIsInterrupted() {
        metrics.runEnded("run-1", RunState.FINISHED);
        metrics.runEnded("run-2", RunState.ACTIVE);
        metrics.runEnded("run-3", RunState.EXPIRED);

        Map<String, Double> byState = countsByTag("lsr.recorder.runs.ended", "state");
        assertEquals(1.0, byState.get("finished"));
        assertEquals(1.0, byState.get("interrupted"));
        assertEquals(1.0, byState.get("expired"));
        assertEquals(0.0, byState.get("abandoned"));
        assertFalse(byState.containsKey("active"));
    }

    @Test
    void recordedGapsAreCountedByCauseWithTheirMissingSeqs() {
        metrics.gapRecorded("run-1", "trimmed", 5000);
        metrics.gapRecorded("run-2", "expired", -1);
        metrics.gapRecorded("run-3", "something new", 2);
        metrics.gapRecorded("run-4", "unread", -1);

        Map<String, Double> byCause = countsByTag("lsr.recorder.gaps", "cause");
        assertEquals(Map.of("trimmed", 1.0, "expired", 1.0, "unread", 1.0, "other", 1.0), byCause);
        assertEquals(5002, count("lsr.recorder.gap.seqs"), "a gap to the end of a run adds no number");
    }

    @Test
    void activeRunsAreTheRunsSeenAndNotEnded() {
        metrics.recordAppended("run-1", RecordType.RUN_ATTACHED, 300);
        metrics.chunkAppended("run-1", 10);
        metrics.runResumed("run-2", "restart");
        metrics.replayDropped("run-3");
        assertEquals(3, gauge("lsr.recorder.runs.active"));

        metrics.recordAppended("run-1", RecordType.RUN_FINISHED, 200);
        metrics.runEnded("run-1", RunState.FINISHED);
        metrics.runEnded("run-4", RunState.GONE);
        assertEquals(2, gauge("lsr.recorder.runs.active"));
        assertEquals(1, count("lsr.recorder.replays.dropped"));
    }

    @Test
    void theLogsRecordsAreCountedByTypeWithTheirSize() {
        metrics.recordAppended("run-1", RecordType.RUN_ATTACHED, 300);
        metrics.recordAppended("run-1", RecordType.CHUNK, 50);
        metrics.recordAppended("run-1", RecordType.CHUNK, 50);
        metrics.recordRejected("run-1", Position.START, 5_000_000, 1_000_000);

        Map<String, Double> byType = countsByTag("lsr.runlog.records.appended", "type");
        assertEquals(2.0, byType.get("chunk"));
        assertEquals(1.0, byType.get("run_attached"));
        assertEquals(RecordType.values().length, byType.size());
        assertEquals(400, count("lsr.runlog.records.appended.bytes"));
        assertEquals(1, count("lsr.runlog.records.rejected"));
    }

    @Test
    void aCommitRecordsItsLatencyDurationAndSize() {
        metrics.transactionCommitted(new CommitStats(0, 12, 4096, 2, 1, Duration.ofMillis(40), Duration.ofMillis(15)));
        metrics.transactionCommitted(new CommitStats(1, 3, 512, 1, 2, Duration.ofMillis(20), Duration.ofMillis(5)));
        metrics.transactionAborted(1, new IOException("broker gone"));

        assertEquals(2, count("lsr.runlog.transactions.committed"));
        assertEquals(1, count("lsr.runlog.transactions.aborted"));
        var latency = registry.get("lsr.runlog.commit.latency").timer();
        assertEquals(2, latency.count());
        assertEquals(60, latency.totalTime(TimeUnit.MILLISECONDS), 0.001);
        assertEquals(
                20, registry.get("lsr.runlog.transaction.duration").timer().totalTime(TimeUnit.MILLISECONDS), 0.001);
        var records = registry.get("lsr.runlog.transaction.records").summary();
        assertEquals(15, records.totalAmount());
        assertEquals(12, records.max());
    }

    @Test
    void outagesCountTheirStartsTheOngoingAndTheirDuration() {
        metrics.outageStarted(0, new IOException("down"));
        metrics.outageStarted(1, new IOException("down"));
        assertEquals(2, gauge("lsr.runlog.outages.ongoing"));

        metrics.outageEnded(0, Duration.ofSeconds(3), 4);
        assertEquals(1, gauge("lsr.runlog.outages.ongoing"));
        assertEquals(2, count("lsr.runlog.outages"));
        assertEquals(3, registry.get("lsr.runlog.outage.duration").timer().totalTime(TimeUnit.SECONDS), 0.001);
        metrics.checkpointSkipped("run-1", "unreadable");
        assertEquals(1, count("lsr.runlog.checkpoints.skipped"));
    }

    @Test
    void aFencedLogRaisesTheFencedFlagOnly() {
        assertEquals(
                0,
                registry.get("lsr.runlog.failed").tag("kind", "fenced").gauge().value());

        metrics.failed(new RunLogFailure(RunLogFailure.Kind.FENCED, 2, "fenced: another recorder took over", null));

        assertEquals(
                1,
                registry.get("lsr.runlog.failed").tag("kind", "fenced").gauge().value());
        assertEquals(
                0,
                registry.get("lsr.runlog.failed").tag("kind", "fatal").gauge().value());
    }

    @Test
    void aPartitionThatStopsAloneIsCountedWithoutFailingTheLog() {
        metrics.partitionStopped(new RunLogFailure(RunLogFailure.Kind.FATAL, 1, "not authorized on partition 1", null));
        metrics.partitionStopped(new RunLogFailure(RunLogFailure.Kind.FATAL, 4, "not authorized on partition 4", null));

        assertEquals(2, registry.get("lsr.runlog.partitions.stopped").gauge().value());
        assertEquals(
                0,
                registry.get("lsr.runlog.failed").tag("kind", "fatal").gauge().value());
    }

    @Test
    void aStoppedPartitionItsFleetMemberGaveUpNoLongerCountsAsStopped() {
        metrics.partitionStopped(new RunLogFailure(RunLogFailure.Kind.FATAL, 1, "not authorized on partition 1", null));
        metrics.partitionStopped(new RunLogFailure(RunLogFailure.Kind.FATAL, 4, "not authorized on partition 4", null));
        metrics.stoppedPartitionReleased(1);

        assertEquals(1, registry.get("lsr.runlog.partitions.stopped").gauge().value());
    }

    @Test
    void everyMeterIsNamespacedAndNoTagCarriesARunId() {
        metrics.chunkAppended("run-secret-id", 1);
        metrics.frameRejected("run-secret-id", "run-secret-id");
        metrics.runResumed("run-secret-id", "run-secret-id");
        metrics.recordAppended("run-secret-id", RecordType.CHUNK, 1);
        metrics.checkpointSkipped("run-secret-id", "run-secret-id");

        Set<String> tagKeys = new TreeSet<>();
        for (Meter meter : registry.getMeters()) {
            String name = meter.getId().getName();
            assertTrue(name.startsWith("lsr.recorder.") || name.startsWith("lsr.runlog."), name);
            for (Tag tag : meter.getId().getTags()) {
                tagKeys.add(tag.getKey());
                assertFalse(tag.getValue().contains("run-"), meter.getId().toString());
            }
        }
        // "le": the histograms' fixed bucket bounds
        assertEquals(Set.of("cause", "kind", "le", "reason", "state", "type"), tagKeys);
        assertTrue(
                registry.getMeters().size() < 120,
                "bounded: " + registry.getMeters().size() + " meters");
    }

    private double count(String name) {
        return registry.get(name).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    private Map<String, Double> countsByTag(String name, String tag) {
        return registry.get(name).counters().stream()
                .collect(Collectors.toMap(c -> c.getId().getTag(tag), c -> c.count()));
    }

    @Test
    void aFleetMemberCountsItsPartitionsRebalancesAndResumeTime() {
        metrics.rebalanced(2);
        metrics.partitionsTaken(2, Duration.ofMillis(400));
        metrics.rebalanced(3);

        assertEquals(
                3, registry.get("lsr.runlog.fleet.partitions.owned").gauge().value());
        assertEquals(2, registry.get("lsr.runlog.fleet.rebalances").counter().count());
        var resume = registry.get("lsr.runlog.fleet.resume.duration").timer();
        assertEquals(1, resume.count());
        assertEquals(400, resume.totalTime(TimeUnit.MILLISECONDS), 0.001);
    }
}
