package dev.lsr.recorder;

import static dev.lsr.recorder.testing.SessionHarness.expectedChunks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.Fixtures;
import dev.lsr.sim.ConnectionFault;
import dev.lsr.sim.FaultPlan;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.RunFaults;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Letta loses a run's stored stream (its Redis key flushed or evicted before the 3 h retention, protocol §3.3)
 * while the recorder is between two connections: the run has ended, and every resume finds nothing and polls for
 * good. The recorder finishes the run, and the frames it never read are a {@code run.gap} (cause {@code unread})
 * right before {@code run.finished}. Before, {@code run.finished} came alone and the tail was missing in silence.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LostStreamIT {

    private static final String FIXTURE = "05-long-run-with-pings";
    private static final String RUN = Fixtures.runId(FIXTURE);
    private static final int READ_BEFORE_THE_LOSS = 30;

    @Test
    void aRunWhoseStreamLettaLostEndsWithAGapForWhatWasNeverRead(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("lost-stream");
        FaultPlan faults = FaultPlan.builder()
                .run(
                        RUN,
                        RunFaults.builder()
                                .attempt(1, ConnectionFault.stallAfter(READ_BEFORE_THE_LOSS, Duration.ofSeconds(30)))
                                .build())
                .build();
        try (LettaSim sim = LettaSim.builder()
                        .recordedRun(FIXTURE, LettaFixtures.sseBody(FIXTURE))
                        .faults(faults)
                        .start();
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            RecorderConfig config = RecorderConfig.builder(sim.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .partitions(1)
                    .watch(false)
                    .pingInterval(Duration.ofSeconds(1))
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
                    .build();
            RecorderDaemon daemon = RecorderDaemon.builder(config).build();
            Thread thread = Thread.ofPlatform().name("daemon").start(daemon);
            try {
                assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)));
                var outcome = daemon.attach(RUN);
                log.awaitUntil(l -> l.chunks(RUN).size() == READ_BEFORE_THE_LOSS, Duration.ofSeconds(30));
                assertTrue(sim.loseStoredStream(RUN) > READ_BEFORE_THE_LOSS, "the run had ended: its frames are lost");

                assertEquals(
                        RunOutcome.Kind.FINISHED,
                        outcome.get(60, TimeUnit.SECONDS).kind());
            } finally {
                daemon.close();
                thread.join(30_000);
            }

            log.awaitUntil(l -> l.ended(Set.of(RUN)), Duration.ofSeconds(30));
            assertEquals(expectedChunks(FIXTURE).subList(0, READ_BEFORE_THE_LOSS), log.chunks(RUN));
            List<ChunkLogRecord> records = log.run(RUN);
            assertEquals(RecordType.RUN_FINISHED, records.getLast().type());
            ChunkLogRecord gap = records.get(records.size() - 2);
            assertEquals(RecordType.RUN_GAP, gap.type(), log.types(RUN).toString());
            Position last = log.chunkPositions(RUN).getLast();
            assertEquals(
                    new LifecycleEvent.RunGap(last.nextNumber(), null, "unread"),
                    Json.MAPPER.readValue(gap.value(), LifecycleEvent.RunGap.class));
        }
    }
}
