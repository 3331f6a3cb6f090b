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
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.Fixtures;
import dev.lsr.recorder.testing.OneRun;
import dev.lsr.recorder.testing.SessionHarness;
import dev.lsr.recorder.testing.SimFrames;
import dev.lsr.recorder.testing.SimFront;
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

    /**
     * Frames over {@code --max-frame-bytes} amid a stream served in one piece (so the reader has read ahead past
     * their ends): each becomes {@code chunk.rejected}, and every frame after it is recorded. The reader used to take
     * the bytes it had read ahead into the oversized frame, and the chunks after it were lost behind a
     * {@code run.gap} that said "trimmed".
     */
    @Test
    void theFramesAfterFramesOverTheLimitAreRecorded(KafkaBroker broker) throws Exception {
        String fixture = "05-long-run-with-pings";
        String runId = Fixtures.runId(fixture);
        List<String> lines = LettaFixtures.chunkLines(fixture);
        int limit = 1024;
        List<String> good = new ArrayList<>(SessionHarness.expectedChunks(fixture));
        // the fixture's own frames over the limit (a long tool return) are rejected too
        int tooLarge = (int) good.stream()
                .filter(line -> line.getBytes(UTF_8).length > limit)
                .count();
        good.removeIf(line -> line.getBytes(UTF_8).length > limit);
        StringBuilder body = new StringBuilder();
        int oversized = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i % 9 == 5 && line.contains("\"seq_id\":") && !line.contains("\"ping\"") && line.endsWith("}")) {
                good.remove(line);
                // about 9 to 16 KB: a line's end lands beyond the first 8 KiB the reader searches
                line = line.substring(0, line.length() - 1) + ",\"filler\":\"" + "w".repeat(9_000 + 1_000 * oversized)
                        + "\"}";
                oversized++;
            }
            body.append("data: ").append(line).append("\n\n");
        }
        body.append("data: [DONE]\n\n");
        String topic = broker.uniqueTopic("oversized-read-ahead");
        try (LettaSim sim = LettaSim.builder()
                        .recordedRun(fixture, LettaFixtures.sseBody(fixture))
                        .start();
                SimFront front = new SimFront(
                        sim.baseUrl(),
                        path -> SimFront.isRunStream(path, runId)
                                ? new SimFront.Canned(200, "text/event-stream", body.toString())
                                : null,
                        path -> {});
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            RecorderDaemon.create(OneRun.config(front.baseUrl(), broker.bootstrapServers(), topic, runId).toBuilder()
                            .maxFrameBytes(limit)
                            .build())
                    .run();
            log.awaitUntil(l -> l.ended(Set.of(runId)), Duration.ofSeconds(30));

            assertTrue(oversized >= 4, "oversized frames: " + oversized);
            assertEquals(good, log.chunks(runId), "every frame within the limit, once, in order");
            assertEquals(
                    oversized + tooLarge,
                    log.types(runId).stream()
                            .filter(type -> type == RecordType.CHUNK_REJECTED)
                            .count(),
                    log.types(runId).toString());
            assertTrue(
                    !log.types(runId).contains(RecordType.RUN_GAP),
                    log.types(runId).toString());
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
