package dev.lsr.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/runs/} cursors behave like the server's: the cursor row is looked up by id whatever
 * the filters, so a cursor run that ended since the previous page still anchors the next one.
 */
class RunListingCursorsIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aCursorRunThatEndedSinceThePreviousPageStillAnchorsTheNextPage() throws Exception {
        try (LettaSim sim = LettaSim.builder().pace(Duration.ofMillis(200)).start()) {
            SimClient client = new SimClient(sim.baseUrl());
            String older = startInBackground(sim, "agent-long", 300);
            String newer = runIdOfWholeSend(client, "agent-short");

            List<String> firstPage =
                    ids(client.get("/v1/runs/?background=true&limit=1").text());
            assertEquals(List.of(newer), firstPage, "newest first");
            assertEquals(
                    "completed",
                    MAPPER.readTree(client.get("/v1/runs/" + newer).text())
                            .get("status")
                            .asText());

            List<String> nextRunning =
                    ids(client.get("/v1/runs/?statuses=running&statuses=created&background=true&limit=1&after=" + newer)
                            .text());
            assertEquals(List.of(older), nextRunning, "the ended cursor run still anchors the page");
            assertTrue(
                    ids(client.get("/v1/runs/?statuses=running&limit=1&after=run-unknown")
                                    .text())
                            .contains(older),
                    "an unknown cursor id means no cursor");
        }
    }

    /** A background send whose response is left at once; the run goes on for about {@code chunks} frames. */
    private static String startInBackground(LettaSim sim, String agent, int chunks) throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"[sim:chunks=" + chunks + "] hi\"}],"
                + "\"background\":true,\"stream_tokens\":true}";
        Request request = new Request.Builder()
                .url(sim.baseUrl() + "/v1/agents/" + agent + "/messages/stream")
                .post(RequestBody.create(body, MediaType.get("application/json")))
                .build();
        try (Response response = SimClient.HTTP.newCall(request).execute()) {
            assertEquals(200, response.code());
        }
        return sim.runIds().getLast();
    }

    /** A short background send read to its end: the run has ended when this returns. */
    private static String runIdOfWholeSend(SimClient client, String agent) throws Exception {
        SimClient.Answer answer = client.post(
                "/v1/agents/" + agent + "/messages/stream",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"background\":true}");
        assertEquals(200, answer.status());
        return SimClient.runIdOf(answer.body());
    }

    private static List<String> ids(String json) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode run : MAPPER.readTree(json)) {
            ids.add(run.get("id").asText());
        }
        return ids;
    }
}
