package dev.lsr.sim;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The seeded workload: runs appear by themselves, a watcher finds them, the same seed repeats them. */
class WorkloadIT {

    private static Workload workload(long seed) {
        return Workload.builder(seed)
                .agents(2)
                .conversationsPerAgent(2)
                .runs(12)
                .chunksPerRun(30)
                .chunksPerSecond(100)
                .arrivalRate(20)
                .build();
    }

    @Test
    void aWatcherFindsActiveRunsAndEveryRunEndsWithItsStoredFrames() throws Exception {
        try (LettaSim sim = LettaSim.builder().workload(workload(3)).start()) {
            SimClient client = new SimClient(sim.baseUrl());
            Set<String> seenActive = new HashSet<>();
            Map<String, Integer> activePerConversation = new HashMap<>();
            // each sample checks the invariant; the wait ends when every run started and none is active
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .pollInSameThread()
                    .until(() -> {
                        // read before the listing: the workload may start its last runs between the two, and a
                        // listing taken before they existed is no proof that none is active
                        boolean allStarted = sim.runIds().size() == 12;
                        JsonNode active = SseFrames.JSON.readTree(
                                client.get("/v1/runs/?statuses=created&statuses=running&limit=1000")
                                        .body());
                        activePerConversation.clear();
                        for (JsonNode run : active) {
                            seenActive.add(run.get("id").asText());
                            activePerConversation.merge(
                                    run.get("conversation_id").asText(), 1, Integer::sum);
                            assertTrue(run.get("background").asBoolean());
                        }
                        assertTrue(
                                activePerConversation.values().stream().allMatch(n -> n == 1),
                                "one active run per conversation: " + activePerConversation);
                        return allStarted && active.isEmpty();
                    });
            assertEquals(12, sim.runIds().size());
            assertEquals(2, sim.agentIds().size());
            for (String agent : sim.agentIds()) {
                assertEquals(
                        6,
                        SseFrames.JSON
                                .readTree(client.get("/v1/runs/?agent_id=" + agent)
                                        .body())
                                .size());
            }
            assertEquals("[]", client.get("/v1/runs/active").text());
            assertTrue(seenActive.size() >= 3, "the watcher saw runs while they were active: " + seenActive.size());

            for (String runId : sim.runIds()) {
                SimClient.Answer answer = client.post("/v1/runs/" + runId + "/stream", "{}");
                ByteArrayOutputStream expected = new ByteArrayOutputStream();
                sim.storedFrames(runId).forEach(frame -> expected.writeBytes(frame.servedBytes()));
                assertEquals(expected.toString(), answer.text(), runId);
                JsonNode run =
                        SseFrames.JSON.readTree(client.get("/v1/runs/" + runId).body());
                assertTrue(
                        Set.of("completed", "failed", "cancelled")
                                .contains(run.get("status").asText()),
                        run.toString());
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameRunsIdsIncluded() throws Exception {
        List<List<String>> bodies = new ArrayList<>();
        for (int attempt = 0; attempt < 2; attempt++) {
            try (LettaSim sim = LettaSim.builder().workload(workload(11)).start()) {
                await("the workload finishes")
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> sim.runIds().size() == 12 && allFinished(sim));
                List<String> texts = new ArrayList<>();
                for (String runId : sim.runIds()) {
                    StringBuilder text = new StringBuilder(runId).append('\n');
                    sim.storedFrames(runId)
                            .forEach(frame ->
                                    text.append(frame.text().replaceAll("\"date\":\"[^\"]+\"", "\"date\":\"-\"")));
                    texts.add(text.toString());
                }
                bodies.add(texts);
            }
        }
        assertEquals(bodies.get(0), bodies.get(1));
    }

    private static boolean allFinished(LettaSim sim) {
        return sim.runIds().stream()
                .allMatch(id -> !sim.storedFrames(id).isEmpty()
                        && sim.storedFrames(id).getLast().isFinal());
    }
}
