package dev.lsr.recorder;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.MalformedChunkException;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.Utf8;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.SimFrames;
import dev.lsr.sim.ConnectionFault;
import dev.lsr.sim.FaultPlan;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.RunFaults;
import dev.lsr.sim.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A run whose stored stream holds a malformed frame, a frame with invalid UTF-8 and a 2 MB frame,
 * read over a connection that drops after them (so all three are replayed): each bad frame becomes
 * one {@code chunk.rejected} record at its position, every good chunk is recorded once, the run
 * finishes.
 */
@ExtendWith(KafkaBrokerExtension.class)
class BadFramesIT {

    @Test
    void badFramesAreRejectedOnceAndTheRunGoesOn(KafkaBroker broker) throws Exception {
        RunFaults faults = RunFaults.builder()
                .malformedFrameAt(5)
                .invalidUtf8FrameAt(9)
                .oversizedFrameAt(12, 2 * 1024 * 1024)
                .attempt(1, ConnectionFault.dropAfter(16))
                .build();
        String topic = broker.uniqueTopic("bad");
        try (LettaSim sim = LettaSim.builder()
                        .workload(Workload.builder(5).chunksPerRun(30).build())
                        .faults(FaultPlan.builder().allRuns(faults).build())
                        .start();
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            RecorderConfig config = RecorderConfig.builder(sim.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .partitions(1)
                    .agentIds(List.of("agent-watching-nobody"))
                    .build();
            RecorderDaemon daemon = RecorderDaemon.create(config);
            Thread thread = Thread.ofPlatform().start(daemon);
            assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)));
            RunOutcome outcome =
                    daemon.send(SendMessage.toConversation("conv-bad", "hello")).get(60, TimeUnit.SECONDS);
            assertEquals(RunOutcome.Kind.FINISHED, outcome.kind());
            String runId = outcome.runId();
            log.awaitUntil(l -> l.ended(Set.of(runId)), Duration.ofSeconds(30));
            daemon.close();
            thread.join(30_000);

            List<String> good = new ArrayList<>();
            int bad = 0;
            for (byte[] payload : SimFrames.payloadBytes(sim, runId)) {
                if (recordable(payload)) {
                    good.add(new String(payload, UTF_8));
                } else {
                    bad++;
                }
            }
            assertEquals(3, bad, "the simulator stored three bad frames");
            assertEquals(good, log.chunks(runId), "every good chunk once, in order");
            List<ChunkLogRecord> rejected = log.run(runId).stream()
                    .filter(r -> r.type() == RecordType.CHUNK_REJECTED)
                    .toList();
            List<String> reasons = new ArrayList<>();
            for (ChunkLogRecord record : rejected) {
                reasons.add(Json.MAPPER
                        .readValue(record.value(), LifecycleEvent.ChunkRejected.class)
                        .reason());
            }
            assertEquals(List.of("malformed_json", "invalid_utf8", "oversized"), reasons);
            assertTrue(log.types(runId).contains(RecordType.RUN_RESUMED), "the bad frames were replayed");
            assertEquals(RecordType.RUN_FINISHED, log.types(runId).getLast());
        }
    }

    private static boolean recordable(byte[] payload) {
        if (payload.length > 1_000_000 || !Utf8.isValid(payload)) {
            return false;
        }
        try {
            ChunkPeek.of(payload);
            return true;
        } catch (MalformedChunkException e) {
            return false;
        }
    }
}
