package dev.lsr.sim;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.fixtures.LettaFixtures;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fidelity: the simulator serving every fixture (pace ZERO) reproduces each recorded body byte for
 * byte through the real resume route.
 */
class RecordedFixturesIT {

    private static LettaSim sim;
    private static SimClient client;

    @BeforeAll
    static void start() {
        LettaSim.Builder builder = LettaSim.builder();
        for (String run : LettaFixtures.RUNS) {
            builder.recordedRun(run + ".sse", LettaFixtures.sseBody(run));
        }
        sim = builder.start();
        client = new SimClient(sim.baseUrl());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "01-simple-reply",
                "02-tool-call-two-steps",
                "03-parallel-approvals",
                "04-error-mid-run",
                "05-long-run-with-pings",
                "06-cancelled-mid-way"
            })
    void aWholeRunReadFromTheStartEqualsTheRecordedBody(String fixture) throws Exception {
        byte[] recorded = LettaFixtures.sseBody(fixture);
        String runId = SimClient.runIdOf(recorded);

        SimClient.Answer answer = client.post("/v1/runs/" + runId + "/stream", "{}");

        assertEquals(200, answer.status());
        assertEquals(
                "text/event-stream;charset=utf-8",
                answer.contentType().replace(" ", "").toLowerCase());
        assertArrayEquals(recorded, answer.body(), () -> fixture + " differs:\n" + answer.text());
    }

    @Test
    void resumingRun05After150ReproducesTheRecordedReplay() throws Exception {
        byte[] expected = LettaFixtures.sseBody("07b-resume-replay-after-150");
        String runId = SimClient.runIdOf(expected);

        SimClient.Answer answer =
                client.post("/v1/runs/" + runId + "/stream", "{\"starting_after\": 150, \"batch_size\": 1000}");

        assertEquals(200, answer.status());
        assertEquals(new String(expected, UTF_8), answer.text());
        assertArrayEquals(expected, answer.body());
    }

    @Test
    void fixtures05And07aAnd07bCollapseToOneRun() {
        List<String> ids = sim.runIds();
        assertEquals(6, ids.size(), ids.toString());
    }
}
