package dev.lsr.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.fixtures.LettaFixtures;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recorded runs from directories and at a pace: live reading, statuses, partial recordings. */
class RecordedRunsIT {

    private static final byte[] RUN_05 = LettaFixtures.sseBody("05-long-run-with-pings");
    private static final String RUN_05_ID = SimClient.runIdOf(RUN_05);

    @Test
    void aDirectoryOfChunkFilesAndSseBodiesServesEveryRunOnce(@TempDir Path dir) throws Exception {
        for (String run : LettaFixtures.RUNS) {
            Files.write(dir.resolve(run + ".jsonl"), LettaFixtures.bytes(run + ".jsonl"));
        }
        LettaFixtures.copySseBodiesTo(dir.resolve("sse"), LettaFixtures.RUNS);
        try (LettaSim sim = LettaSim.builder().recordedRuns(dir).start()) {
            SimClient client = new SimClient(sim.baseUrl());
            assertEquals(6, sim.runIds().size());
            assertArrayEquals(
                    RUN_05,
                    client.post("/v1/runs/" + RUN_05_ID + "/stream", "{}").body());
        }
    }

    @Test
    void chunkFilesAloneReproduceTheSseBodies(@TempDir Path dir) throws Exception {
        for (String run : List.of("04-error-mid-run", "05-long-run-with-pings", "06-cancelled-mid-way")) {
            Files.write(dir.resolve(run + ".jsonl"), LettaFixtures.bytes(run + ".jsonl"));
        }
        try (LettaSim sim = LettaSim.builder().recordedRuns(dir).start()) {
            SimClient client = new SimClient(sim.baseUrl());
            for (String run : List.of("04-error-mid-run", "05-long-run-with-pings", "06-cancelled-mid-way")) {
                byte[] expected = LettaFixtures.sseBody(run);
                assertArrayEquals(
                        expected,
                        client.post("/v1/runs/" + SimClient.runIdOf(expected) + "/stream", "{}")
                                .body(),
                        run);
            }
        }
    }

    @Test
    void aPacedRecordingIsLiveWhileStoredAndStillReadsByteForByte() throws Exception {
        try (LettaSim sim = LettaSim.builder()
                .recordedRun("05", RUN_05)
                .pace(Duration.ofMillis(5))
                .start()) {
            SimClient client = new SimClient(sim.baseUrl());
            JsonNode running =
                    SseFrames.JSON.readTree(client.get("/v1/runs/" + RUN_05_ID).body());
            assertEquals("running", running.get("status").asText());
            assertTrue(running.get("completed_at").isNull());

            SimClient.Answer live = client.post("/v1/runs/" + RUN_05_ID + "/stream", "{\"starting_after\":0}");

            assertArrayEquals(RUN_05, live.body(), "recorded pings are replayed in place on a live read too");
            JsonNode done =
                    SseFrames.JSON.readTree(client.get("/v1/runs/" + RUN_05_ID).body());
            assertEquals("completed", done.get("status").asText());
            assertEquals("end_turn", done.get("stop_reason").asText());
            SimClient.Answer noPings = client.post("/v1/runs/" + RUN_05_ID + "/stream", "{\"include_pings\":false}");
            List<SseFrames.Frame> frames = SseFrames.parse(noPings.body());
            assertEquals(383, frames.size(), "all stored frames, the stored initial ping included, no keepalives");
            assertEquals(1, frames.stream().filter(f -> f.type().equals("ping")).count());
        }
    }

    @Test
    void aPartialRecordingStaysRunningUntilCancelled() throws Exception {
        byte[] partial = LettaFixtures.sseBody("07a-resume-initial-connection");
        try (LettaSim sim = LettaSim.builder().recordedRun("07a", partial).start()) {
            SimClient client = new SimClient(sim.baseUrl());
            assertEquals(
                    "running",
                    SseFrames.JSON
                            .readTree(client.get("/v1/runs/" + RUN_05_ID).body())
                            .get("status")
                            .asText());

            SimClient.Answer cancel = client.post(
                    "/v1/agents/" + LettaSim.DEFAULT_RECORDED_AGENT_ID + "/messages/cancel",
                    "{\"run_ids\":[\"" + RUN_05_ID + "\"]}");
            assertEquals("{\"" + RUN_05_ID + "\":\"cancelled\"}", cancel.text());

            SimClient.Answer tail = client.post("/v1/runs/" + RUN_05_ID + "/stream", "{\"starting_after\":150}");
            assertEquals(
                    "data: {\"message_type\": \"stop_reason\", \"stop_reason\": \"cancelled\"}\n\ndata: [DONE]\n\n",
                    tail.text());
            List<StoredFrame> stored = sim.storedFrames(RUN_05_ID);
            assertEquals(152, stored.size());
            assertEquals(152, stored.getLast().seq());
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            whole.writeBytes(partial);
            whole.writeBytes(tail.body());
            assertArrayEquals(
                    whole.toByteArray(),
                    client.post("/v1/runs/" + RUN_05_ID + "/stream", "{}").body());
            assertEquals(
                    "cancelled",
                    SseFrames.JSON
                            .readTree(client.get("/v1/runs/" + RUN_05_ID).body())
                            .get("status")
                            .asText());
        }
    }
}
