package dev.lsr.consumer.projection.lettacode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: a run drained in several connections, each dropped mid-run and resumed from an earlier
 * position (an overlapping replay the cursor must filter), rebuilds the buffers of one uninterrupted
 * drain. Seeded random splits, many per fixture.
 */
class ResumeSplitPropertyTest {

    private static final int SPLITS_PER_CASE = 400;

    static Stream<String> cases() {
        return Stream.of(
                "01-simple-reply",
                "02-tool-call-two-steps",
                "03-parallel-approvals",
                "04-error-mid-run",
                "05-long-run-with-pings",
                "05-long-run-with-pings" + Fixtures.SPLIT_SUFFIX,
                "06-cancelled-mid-way");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void anySplitWithOverlappingReplaysRebuildsTheUninterruptedBuffers(String expectedCase) {
        Options options = Options.defaults().withTokenStreaming(Fixtures.tokenStreaming(expectedCase));
        List<Chunk> chunks = Fixtures.chunks(Fixtures.drainRunsOf(expectedCase).getFirst());
        LettaCodeBuffers whole = LettaCodeProjection.ofRun(chunks, options);
        JsonNode wholeJson = whole.toJson();
        int dropLimit = firstSeqLessChunk(chunks);
        Random random = new Random(expectedCase.hashCode() * 31L + 7);

        for (int iteration = 0; iteration < SPLITS_PER_CASE; iteration++) {
            List<List<Chunk>> drains = randomDrains(chunks, dropLimit, random);
            LettaCodeBuffers resumed = LettaCodeProjection.newSession(options);
            for (int i = 0; i < drains.size(); i++) {
                DrainResult result = resumed.drain(drains.get(i));
                if (i < drains.size() - 1) {
                    assertEquals("error", result.stopReason(), "a drop mid-run ends the drain with error");
                    assertFalse(result.sawStopReasonChunk());
                    assertTrue(resumed.awaitingResume());
                }
            }
            String description = expectedCase + " split " + describe(drains, chunks);
            JsonNode json = resumed.toJson();
            assertTrue(Fixtures.jsonEquals(wholeJson.get("buffers"), json.get("buffers")), description);
            assertSameOutcome(whole.lastDrainResult(), resumed.lastDrainResult(), description);
        }
    }

    private static void assertSameOutcome(DrainResult whole, DrainResult resumed, String description) {
        assertEquals(whole.stopReason(), resumed.stopReason(), description);
        assertEquals(whole.sawStopReasonChunk(), resumed.sawStopReasonChunk(), description);
        assertEquals(whole.lastRunId(), resumed.lastRunId(), description);
        assertEquals(whole.lastSeqId(), resumed.lastSeqId(), description);
        assertEquals(whole.fallbackError(), resumed.fallbackError(), description);
        // Letta Code keeps the resumed drain's approvals, prefixed with the args seen before the drop; an
        // approval completed before the last drop is only kept when the resume saw none (its case 1).
        assertEquals(whole.approvals().isEmpty(), resumed.approvals().isEmpty(), description);
        for (ApprovalRequest approval : resumed.approvals()) {
            assertTrue(whole.approvals().contains(approval), description + ": " + approval);
        }
    }

    /** Drains: each non-last one drops before the terminal chunks; each later one replays from at or before the drop. */
    private static List<List<Chunk>> randomDrains(List<Chunk> chunks, int dropLimit, Random random) {
        int drops = 1 + random.nextInt(3);
        List<List<Chunk>> drains = new ArrayList<>();
        int start = 0;
        int end = 0;
        for (int d = 0; d < drops; d++) {
            int earliestEnd = Math.max(1, end);
            if (earliestEnd >= dropLimit) {
                break;
            }
            end = earliestEnd + random.nextInt(dropLimit - earliestEnd + 1);
            drains.add(chunks.subList(start, end));
            start = random.nextInt(end + 1);
        }
        drains.add(chunks.subList(start, chunks.size()));
        return drains;
    }

    /** Index of the first chunk without a seq_id (the terminal stop_reason): drops land before it. */
    private static int firstSeqLessChunk(List<Chunk> chunks) {
        for (int i = 0; i < chunks.size(); i++) {
            if (chunks.get(i).seqId() == null) {
                return i;
            }
        }
        return chunks.size();
    }

    private static String describe(List<List<Chunk>> drains, List<Chunk> all) {
        StringBuilder out = new StringBuilder();
        for (List<Chunk> drain : drains) {
            int from = drain.isEmpty() ? -1 : all.indexOf(drain.getFirst());
            out.append('[')
                    .append(from)
                    .append("..")
                    .append(from + drain.size())
                    .append(')');
        }
        return out.toString();
    }
}
