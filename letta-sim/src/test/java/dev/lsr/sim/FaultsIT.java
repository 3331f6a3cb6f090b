package dev.lsr.sim;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.fixtures.LettaFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fault injection: read-side faults leave the stored stream alone; bad frames are stored with a seq. */
class FaultsIT {

    private static final byte[] RUN_05 = LettaFixtures.sseBody("05-long-run-with-pings");
    private static final String RUN_05_ID = SimClient.runIdOf(RUN_05);
    private LettaSim sim;
    private SimClient client;

    private void start(FaultPlan plan) {
        sim = LettaSim.builder().recordedRun("05", RUN_05).faults(plan).start();
        client = new SimClient(sim.baseUrl());
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private String resumeUrl() {
        return sim.baseUrl() + "/v1/runs/" + RUN_05_ID + "/stream";
    }

    @Test
    void anAbruptDropIsAnIoErrorAndTheNextAttemptResumesFromTheCursor() throws Exception {
        start(FaultPlan.builder()
                .run(
                        RUN_05_ID,
                        RunFaults.builder()
                                .attempt(1, ConnectionFault.dropAfter(10))
                                .build())
                .build());
        List<StoredFrame> before = sim.storedFrames(RUN_05_ID);

        List<SseFrames.Frame> received = new java.util.ArrayList<>();
        try (LiveStream stream = LiveStream.open(resumeUrl(), "{}", Duration.ofSeconds(30))) {
            assertThrows(IOException.class, () -> {
                for (SseFrames.Frame frame = stream.next(); frame != null; frame = stream.next()) {
                    received.add(frame);
                }
            });
        }
        assertEquals(10, received.size());
        long cursor = received.getLast().seq();
        SimClient.Answer rest = client.post("/v1/runs/" + RUN_05_ID + "/stream", "{\"starting_after\":" + cursor + "}");
        SimClient.Answer whole = client.post("/v1/runs/" + RUN_05_ID + "/stream", "{}");

        assertEquals(10L, cursor);
        assertEquals(before, sim.storedFrames(RUN_05_ID), "read faults never change the stored stream");
        String recorded = new String(RUN_05, UTF_8);
        assertTrue(recorded.endsWith(rest.text()));
        assertEquals(
                recorded.length(),
                rest.text().length()
                        + SseFrames.parse(recorded).subList(0, 10).stream()
                                .mapToInt(f -> ("data: " + f.data() + "\n\n").length())
                                .sum());
        assertArrayEquals(RUN_05, whole.body(), "attempt 3 has no fault");
    }

    @Test
    void aCleanEofEndsTheBodyWithoutTheTerminalFrames() throws Exception {
        start(FaultPlan.builder()
                .run(
                        RUN_05_ID,
                        RunFaults.builder()
                                .attempt(1, ConnectionFault.endAfter(7))
                                .build())
                .build());

        SimClient.Answer cut = client.post("/v1/runs/" + RUN_05_ID + "/stream", "{}");

        List<SseFrames.Frame> frames = SseFrames.parse(cut.body());
        assertEquals(7, frames.size());
        assertEquals(7L, frames.getLast().seq());
        assertTrue(new String(RUN_05, UTF_8).startsWith(cut.text()));
    }

    @Test
    void anErrorFrameFaultEndsTheConnectionWithTheShapeAndLeavesTheStoredStreamAlone() throws Exception {
        start(FaultPlan.builder()
                .run(
                        RUN_05_ID,
                        RunFaults.builder()
                                .attempt(1, ConnectionFault.errorAfter(7, ConnectionFault.ErrorShape.CLOUD_INTERRUPTED))
                                .attempt(
                                        2,
                                        ConnectionFault.errorAfter(
                                                3, ConnectionFault.ErrorShape.CLOUD_INTERRUPTED_NO_SEQ))
                                .attempt(3, ConnectionFault.errorAfter(0, ConnectionFault.ErrorShape.LEGACY_WRITER))
                                .build())
                .build());
        List<StoredFrame> before = sim.storedFrames(RUN_05_ID);

        List<SseFrames.Frame> cloud = SseFrames.parse(
                client.post("/v1/runs/" + RUN_05_ID + "/stream", "{}").body());
        List<SseFrames.Frame> cloudNoSeq =
                SseFrames.parse(client.post("/v1/runs/" + RUN_05_ID + "/stream", "{\"starting_after\":7}")
                        .body());
        List<SseFrames.Frame> legacy = SseFrames.parse(
                client.post("/v1/runs/" + RUN_05_ID + "/stream", "{}").body());
        SimClient.Answer whole = client.post("/v1/runs/" + RUN_05_ID + "/stream", "{}");

        assertEquals(8, cloud.size());
        assertEquals("error", cloud.getLast().event());
        assertTrue(cloud.getLast().data().contains("\"error_code\":\"cloud_api_deployment_interrupted\""));
        assertTrue(cloud.getLast().data().contains("\"retryable\":true"));
        assertEquals(7L, cloud.getLast().seq(), "repeats the last seq shown, like a keepalive ping");
        assertEquals(4, cloudNoSeq.size());
        assertTrue(cloudNoSeq.getLast().data().endsWith("\"seq_id\":null}"));
        assertEquals(1, legacy.size());
        assertEquals("error", legacy.getFirst().event());
        assertEquals(
                "{\"error\": \"letta-sim fault: the response writer failed\", \"code\": \"INTERNAL_SERVER_ERROR\"}",
                legacy.getFirst().data());
        assertEquals(before, sim.storedFrames(RUN_05_ID), "an error frame fault is never stored");
        assertArrayEquals(RUN_05, whole.body(), "attempt 4 has no fault");
    }

    @Test
    void aConnectionThatLosesItsClientBeforeItsCutHandsTheCutOnToTheNextConnection() throws Exception {
        sim = LettaSim.builder()
                .recordedRun("05", RUN_05)
                .pace(Duration.ofMillis(5))
                .faults(FaultPlan.builder()
                        .run(
                                RUN_05_ID,
                                RunFaults.builder()
                                        .attempt(1, ConnectionFault.endAfter(100))
                                        .build())
                        .build())
                .start();
        client = new SimClient(sim.baseUrl());
        try (LiveStream gone = LiveStream.open(resumeUrl(), "{}", Duration.ofSeconds(30))) {
            gone.next();
        }
        // the server notices the lost client at its next writes; wait on frames stored, not on time
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> sim.storedFrames(RUN_05_ID).size() >= 60);

        List<SseFrames.Frame> next = SseFrames.parse(
                client.post("/v1/runs/" + RUN_05_ID + "/stream", "{}").body());

        assertEquals(100, next.size(), "the cut of attempt 1 landed on the connection a client read");
    }

    @Test
    void aFromStartFaultCutsEveryConnectionFromTheStartUntilTheClientResumesAfterIt() throws Exception {
        start(FaultPlan.builder()
                .run(
                        RUN_05_ID,
                        RunFaults.builder()
                                .fromStart(ConnectionFault.endAfter(20))
                                .build())
                .build());

        List<SseFrames.Frame> first = SseFrames.parse(
                client.post("/v1/runs/" + RUN_05_ID + "/stream", "{}").body());
        List<SseFrames.Frame> again = SseFrames.parse(
                client.post("/v1/runs/" + RUN_05_ID + "/stream", "{}").body());
        SimClient.Answer rest = client.post("/v1/runs/" + RUN_05_ID + "/stream", "{\"starting_after\":5}");

        assertEquals(20, first.size());
        assertEquals(20, again.size(), "a client that lost the first connection meets the cut again");
        assertTrue(rest.text().endsWith("data: [DONE]\n\n"), "a resume after the start is not cut");
        assertThrows(IllegalArgumentException.class, () -> RunFaults.builder().fromStart(ConnectionFault.dropAfter(0)));
    }

    @Test
    void aStallSendsNothingForItsDurationNotEvenPings() throws Exception {
        sim = LettaSim.builder()
                .recordedRun("05", RUN_05)
                .keepaliveInterval(Duration.ofMillis(100))
                .faults(FaultPlan.builder()
                        .run(
                                RUN_05_ID,
                                RunFaults.builder()
                                        .attempt(1, ConnectionFault.stallAfter(3, Duration.ofMillis(800)))
                                        .build())
                        .build())
                .start();
        try (LiveStream stream = LiveStream.open(resumeUrl(), "{}", Duration.ofSeconds(30))) {
            for (int i = 0; i < 3; i++) {
                stream.next();
            }
            long before = System.nanoTime();
            SseFrames.Frame fourth = stream.next();
            long gapMillis = (System.nanoTime() - before) / 1_000_000;
            assertTrue(gapMillis >= 700, "stalled for " + gapMillis + " ms");
            assertEquals(4L, fourth.seq(), "the stall is followed by the next frame, not a ping");
        }
    }

    @Test
    void resumesAreRejectedTheScriptedNumberOfTimes() throws Exception {
        start(FaultPlan.builder()
                .run(RUN_05_ID, RunFaults.builder().rejectResumes(503, 2).build())
                .build());

        SimClient.Answer first = client.post("/v1/runs/" + RUN_05_ID + "/stream", "{}");
        SimClient.Answer second = client.post("/v1/runs/" + RUN_05_ID + "/stream", "{}");
        SimClient.Answer third = client.post("/v1/runs/" + RUN_05_ID + "/stream", "{}");

        assertEquals(503, first.status());
        assertTrue(first.text().startsWith("{\"detail\":"));
        assertEquals(503, second.status());
        assertEquals(200, third.status());
        assertArrayEquals(RUN_05, third.body());
    }

    @Test
    void aRateLimitedAttemptCanBeScripted() throws Exception {
        start(FaultPlan.builder()
                .run(
                        RUN_05_ID,
                        RunFaults.builder()
                                .attempt(2, ConnectionFault.reject(429))
                                .build())
                .build());
        assertEquals(200, client.post("/v1/runs/" + RUN_05_ID + "/stream", "{}").status());
        assertEquals(429, client.post("/v1/runs/" + RUN_05_ID + "/stream", "{}").status());
        assertEquals(200, client.post("/v1/runs/" + RUN_05_ID + "/stream", "{}").status());
    }

    @Test
    void badFramesAreStoredWithTheirSeqAndServedOnEveryRead() throws Exception {
        int twoMegabytes = 2 * 1024 * 1024;
        start(FaultPlan.builder()
                .allRuns(RunFaults.builder()
                        .malformedFrameAt(3)
                        .oversizedFrameAt(5, twoMegabytes)
                        .invalidUtf8FrameAt(7)
                        .build())
                .build());

        SimClient.Answer answer = client.post(
                "/v1/agents/agent-x/messages/stream",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"otid\":\"" + UUID.randomUUID()
                        + "\"}],\"stream_tokens\":true,\"background\":true}");

        String runId = SimClient.runIdOf(answer.body());
        List<StoredFrame> stored = sim.storedFrames(runId);
        assertEquals(3, stored.get(2).seq());
        assertTrue(stored.get(2)
                .text()
                .startsWith("data: {\"message_type\":\"assistant_message\",\"content\":\"this frame is not JSON"));
        assertFalse(stored.get(2).text().contains("seq_id"), "a malformed frame's number stays hidden");
        assertTrue(
                Math.abs(stored.get(4).bytes().length - twoMegabytes) < 64,
                "size " + stored.get(4).bytes().length);
        assertTrue(new String(stored.get(4).servedBytes(), UTF_8).contains("\"seq_id\":5,"));
        assertTrue(containsBytes(stored.get(6).bytes(), new byte[] {(byte) 0xC3, (byte) 0x28}));
        assertTrue(new String(stored.get(6).servedBytes(), UTF_8).contains("\"seq_id\":7,"));
        SseFrames.Frame afterBadOnes =
                SseFrames.parse(stored.get(7).servedBytes()).getFirst();
        assertEquals(8L, afterBadOnes.seq(), "the frames after a bad one shift up and stay contiguous");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        stored.forEach(frame -> expected.writeBytes(frame.servedBytes()));
        assertArrayEquals(expected.toByteArray(), answer.body());
        assertArrayEquals(
                expected.toByteArray(),
                client.post("/v1/runs/" + runId + "/stream", "{}").body());
    }

    @Test
    void recordedRunsRefuseStoredFrameFaults() {
        IllegalStateException failure = assertThrows(
                IllegalStateException.class,
                () -> start(FaultPlan.builder()
                        .run(RUN_05_ID, RunFaults.builder().malformedFrameAt(3).build())
                        .build()));
        assertTrue(
                failure.getMessage().contains("stored-frame faults apply only to generated runs"),
                failure.getMessage());
        sim = null;
    }

    @Test
    void randomFaultsRepeatForTheSameSeed() throws Exception {
        FaultPlan plan = FaultPlan.builder()
                .random(RandomFaults.builder(99)
                        .drop(0.3)
                        .cleanEof(0.3)
                        .maxFramesBeforeFault(20)
                        .build())
                .build();
        start(plan);
        List<Integer> firstSizes = sizesOfFiveAttempts();
        sim.close();
        start(plan);
        List<Integer> secondSizes = sizesOfFiveAttempts();
        assertEquals(firstSizes, secondSizes);
        assertTrue(firstSizes.stream().anyMatch(size -> size < RUN_05.length), firstSizes.toString());
    }

    private List<Integer> sizesOfFiveAttempts() {
        return java.util.stream.IntStream.range(0, 5)
                .mapToObj(i -> {
                    try {
                        return client.post("/v1/runs/" + RUN_05_ID + "/stream", "{}")
                                .body()
                                .length;
                    } catch (IOException e) {
                        return -1;
                    }
                })
                .toList();
    }

    private static boolean containsBytes(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(Arrays.copyOfRange(haystack, i, i + needle.length), needle)) {
                return true;
            }
        }
        return false;
    }
}
