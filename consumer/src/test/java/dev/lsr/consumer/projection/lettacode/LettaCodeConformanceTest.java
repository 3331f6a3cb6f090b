package dev.lsr.consumer.projection.lettacode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.chunklog.Json;
import dev.lsr.consumer.projection.Fixtures;
import dev.lsr.fixtures.LettaFixtures;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every expected case of the fixtures: the rebuilt buffers and drain result equal Letta Code's. A case is
 * the run of that name, or the runs {@code NNa, NNb, ...} drained in order (resumes, or a conversation's
 * runs); a {@code .token-streaming-split} case enables splitting.
 */
class LettaCodeConformanceTest {

    static Stream<String> cases() {
        return LettaFixtures.EXPECTED.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rebuildsTheBuffersLettaCodeBuilt(String expectedCase) throws Exception {
        // The expected files come from Letta Code's stream functions alone (fixtures README): no app-level
        // turn logic between runs, so a case spanning several runs is folded without run boundaries.
        LettaCodeBuffers buffers = LettaCodeProjection.newSession(Options.defaults()
                .withTokenStreaming(Fixtures.tokenStreaming(expectedCase))
                .withRunBoundary(Options.RunBoundary.NONE));
        for (String run : Fixtures.drainRunsOf(expectedCase)) {
            buffers.drain(Fixtures.chunks(run));
        }
        JsonNode expected = Fixtures.expected(expectedCase);
        ObjectNode actual = buffers.toJson();

        String pretty = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual);
        assertTrue(
                Fixtures.jsonEquals(expected.get("buffers"), actual.get("buffers")),
                () -> "buffers differ for " + expectedCase + ":\n" + pretty);
        JsonNode expectedResult = expected.get("drainResult");
        for (String field :
                List.of("stopReason", "sawStopReasonChunk", "lastRunId", "lastSeqId", "approvals", "fallbackError")) {
            assertTrue(
                    Fixtures.jsonEquals(
                            expectedResult.get(field), actual.get("drainResult").get(field)),
                    () -> "drainResult." + field + " differs for " + expectedCase + ":\n" + pretty);
        }
        if (expected.has("tokenStreamingEnabled")) {
            assertEquals(
                    expected.get("tokenStreamingEnabled").booleanValue(),
                    actual.get("tokenStreamingEnabled").booleanValue());
        }
    }
}
