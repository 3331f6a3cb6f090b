package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StreamRequestTest {

    @Test
    void readsLettasFieldsWithTheirDefaults() {
        assertEquals(StreamRequest.DEFAULT, StreamRequest.parse(new byte[0]));
        assertEquals(StreamRequest.DEFAULT, StreamRequest.parse("{}".getBytes(UTF_8)));
        StreamRequest request = StreamRequest.parse(
                "{\"starting_after\":150,\"batch_size\":1000,\"include_pings\":false,\"poll_interval\":0.5,\"x\":1}"
                        .getBytes(UTF_8));
        assertEquals(150, request.startingAfter());
        assertEquals(1000, request.batchSize());
        assertFalse(request.includePings());
        assertEquals(Duration.ofMillis(500), request.pollInterval());
    }

    @Test
    void aMalformedBodyIsA422InFastApisShape() throws Exception {
        HttpProblem problem = assertThrows(HttpProblem.class, () -> StreamRequest.parse("{\"starting".getBytes(UTF_8)));
        assertEquals(422, problem.status());
        JsonNode body = Json.MAPPER.readTree(problem.body());
        assertEquals("json_invalid", body.get("detail").get(0).get("type").asText());
        assertEquals("body", body.get("detail").get(0).get("loc").get(0).asText());
    }

    /** A body with more after its JSON object is not JSON, as for Letta (FastAPI): a 422, not a silent cut. */
    @Test
    void aBodyWithTrailingDataIsA422() throws Exception {
        for (String body : new String[] {"{\"starting_after\":150} {\"starting_after\":0}", "{} junk", "{}}"}) {
            HttpProblem problem =
                    assertThrows(HttpProblem.class, () -> StreamRequest.parse(body.getBytes(UTF_8)), body);
            assertEquals(422, problem.status(), body);
            assertEquals(
                    "json_invalid",
                    Json.MAPPER
                            .readTree(problem.body())
                            .get("detail")
                            .get(0)
                            .get("type")
                            .asText(),
                    body);
        }
        assertEquals(StreamRequest.DEFAULT, StreamRequest.parse("{}\n".getBytes(UTF_8)), "trailing whitespace is fine");
    }

    @Test
    void wrongTypesAndRangesAre422NamingTheField() throws Exception {
        for (String body : new String[] {
            "{\"starting_after\":\"150\"}",
            "{\"starting_after\":-1}",
            "{\"batch_size\":0}",
            "{\"include_pings\":\"yes\"}",
            "{\"poll_interval\":\"fast\"}",
            "[1]",
            "3"
        }) {
            HttpProblem problem =
                    assertThrows(HttpProblem.class, () -> StreamRequest.parse(body.getBytes(UTF_8)), body);
            assertEquals(422, problem.status(), body);
        }
        HttpProblem problem =
                assertThrows(HttpProblem.class, () -> StreamRequest.parse("{\"batch_size\":1.5}".getBytes(UTF_8)));
        assertEquals(
                "batch_size",
                Json.MAPPER
                        .readTree(problem.body())
                        .get("detail")
                        .get(0)
                        .get("loc")
                        .get(1)
                        .asText());
    }

    @Test
    void detailProblemsHaveLettasBody() throws Exception {
        HttpProblem problem = HttpProblem.notFound("Run run-x not found");
        assertEquals(404, problem.status());
        assertEquals("{\"detail\":\"Run run-x not found\"}", new String(problem.body(), UTF_8));
    }
}
