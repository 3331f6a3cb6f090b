package dev.lsr.recorder.log;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RecordType;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.recorder.RecorderConfig;
import dev.lsr.recorder.RecorderDaemon;
import dev.lsr.recorder.RunOutcome;
import dev.lsr.recorder.SendMessage;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.SimFrames;
import dev.lsr.sim.ConnectionFault;
import dev.lsr.sim.FaultPlan;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.RunFaults;
import dev.lsr.sim.StoredFrame;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Letta trims a run's stream at about 10,000 entries. A recorder held back by its log long enough
 * for the trim cannot get the trimmed chunks back: the log must then say so with a {@code run.gap}
 * covering exactly what is missing, never lose them silently.
 *
 * <p>The run (about 15,000 frames) starts with the recorder's send; the log's first transaction with
 * the chunk at seq 10 is held open by a producer interceptor and the log's byte budget is small, so
 * the recorder stops reading the stream while letta-sim stores the whole run and trims it to its newest
 * 10,000 entries. The send's connection is cut after 50 frames, so the recorder resumes after about
 * seq 50, below the trimmed point.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TrimmedStreamIT {

    private static final int STREAM_ENTRIES = 10_000;
    private static final long BUDGET_BYTES = 8 * 1024;

    @Test
    void aRecorderHeldBackPastTheTrimRecordsTheGapExactly(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("trimmed");
        FaultPlan faults = FaultPlan.builder()
                .allRuns(RunFaults.builder()
                        .attempt(1, ConnectionFault.dropAfter(50))
                        .build())
                .build();
        HoldingInterceptor.armMatching(id -> id.endsWith("/10"), topic);
        try (LettaSim sim = LettaSim.builder()
                        .maxStreamEntries(STREAM_ENTRIES)
                        .pace(Duration.ofNanos(200_000))
                        .faults(faults)
                        .start();
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            RecorderConfig config = RecorderConfig.builder(sim.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .partitions(1)
                    .agentIds(List.of("agent-watching-nobody"))
                    .backoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                    .kafkaProperty("producer.interceptor.classes", HoldingInterceptor.class.getName())
                    .build();
            RecorderDaemon daemon = RecorderDaemon.builder(config)
                    .runLogs(logConfig -> KafkaRunLog.create(
                            logConfig.toBuilder()
                                    .maxBatchBytes(BUDGET_BYTES)
                                    .maxPendingBytes(BUDGET_BYTES)
                                    .build(),
                            RunLogListener.NONE,
                            Clock.systemUTC()))
                    .build();
            Thread thread = Thread.ofPlatform().start(daemon);
            try {
                assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)));
                CompletableFuture<RunOutcome> sent =
                        daemon.send(SendMessage.toAgent("agent-trim", "go [sim:reply] [sim:chunks=15000]"));
                HoldingInterceptor.awaitHeldAfterAnAck();
                String runId = sim.runIds().getFirst();
                awaitStoredToTheEnd(sim, runId);
                assertTrue(
                        sim.storedFrames(runId).size() > STREAM_ENTRIES + 1000,
                        "the run outgrew the stream: " + sim.storedFrames(runId).size());
                HoldingInterceptor.release();

                RunOutcome outcome = sent.get(180, TimeUnit.SECONDS);
                assertEquals(RunOutcome.Kind.FINISHED, outcome.kind(), String.valueOf(outcome));
                log.awaitUntil(l -> l.ended(Set.of(runId)), Duration.ofSeconds(60));
                assertEveryStoredFrameIsInTheLogOrInARecordedGap(sim, log, runId);
            } finally {
                HoldingInterceptor.release();
                daemon.close();
                thread.join(60_000);
            }
        }
    }

    private static void awaitStoredToTheEnd(LettaSim sim, String runId) throws InterruptedException {
        await("letta-sim stores the whole run")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    List<StoredFrame> stored = sim.storedFrames(runId);
                    return !stored.isEmpty() && stored.getLast().isFinal();
                });
    }

    /**
     * The chunks in the log are the stored frames outside the recorded gaps, each once and in order;
     * the gaps hold only frames the run stored and do not overlap.
     */
    private static void assertEveryStoredFrameIsInTheLogOrInARecordedGap(LettaSim sim, CommittedLog log, String runId)
            throws IOException {
        List<LifecycleEvent.RunGap> gaps = new ArrayList<>();
        for (ChunkLogRecord record : log.run(runId)) {
            if (record.type() == RecordType.RUN_GAP) {
                gaps.add(Json.MAPPER.readValue(record.value(), LifecycleEvent.RunGap.class));
            }
        }
        List<StoredFrame> stored = sim.storedFrames(runId);
        List<String> payloads = SimFrames.payloads(sim, runId);
        List<String> expected = new ArrayList<>();
        List<Long> missingWithoutGap = new ArrayList<>();
        List<String> logged = log.chunks(runId);
        Set<String> loggedSet = Set.copyOf(logged);
        for (int i = 0; i < payloads.size(); i++) {
            long seq = stored.get(i).seq();
            if (gaps.stream().noneMatch(g -> g.from() <= seq && (g.to() == null || seq <= g.to()))) {
                expected.add(payloads.get(i));
                if (!loggedSet.contains(payloads.get(i))) {
                    missingWithoutGap.add(seq);
                }
            }
        }
        assertTrue(
                missingWithoutGap.isEmpty(),
                "stored frames missing from the log with no run.gap covering them: " + ranges(missingWithoutGap)
                        + "; recorded gaps: " + gaps);
        assertFalse(gaps.isEmpty(), "the recorder was held back past the trim, so chunks are gone");
        assertEquals(expected.size(), logged.size(), "each chunk once; recorded gaps: " + gaps);
        assertEquals(expected, logged, "in order, nothing from inside a recorded gap");
        long lastStored = stored.getLast().seq();
        for (int i = 0; i < gaps.size(); i++) {
            LifecycleEvent.RunGap gap = gaps.get(i);
            assertEquals("trimmed", gap.cause());
            assertTrue(gap.to() != null && gap.to() < lastStored, "a gap holds only stored frames: " + gap);
            assertTrue(i == 0 || gaps.get(i - 1).to() < gap.from(), "gaps do not overlap: " + gaps);
        }
    }

    private static String ranges(List<Long> seqs) {
        if (seqs.isEmpty()) {
            return "none";
        }
        StringBuilder out = new StringBuilder();
        long start = seqs.getFirst();
        long previous = start;
        for (long seq : seqs.subList(1, seqs.size())) {
            if (seq != previous + 1) {
                out.append(start).append(" .. ").append(previous).append(", ");
                start = seq;
            }
            previous = seq;
        }
        return out.append(start)
                .append(" .. ")
                .append(previous)
                .append(" (")
                .append(seqs.size())
                .append(" seqs)")
                .toString();
    }
}
