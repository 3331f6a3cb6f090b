package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.fixtures.LettaFixtures;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamCursorTest {

    @Test
    void fixture05After150IsFixture07b() {
        assertEquals(
                new String(LettaFixtures.sseBody("07b-resume-replay-after-150"), UTF_8),
                serve(FixtureLog.of("05-long-run-with-pings").records(), 150));
    }

    @Test
    void seqLessFramesTakeTheNumbersAfterTheirBase() {
        List<ChunkLogRecord> records = FixtureLog.of("05-long-run-with-pings").records();
        // seq 380, stop_reason 381, usage 382, [DONE] 383
        assertTrue(serve(records, 380).startsWith("data: {\"message_type\":\"stop_reason\""));
        assertTrue(serve(records, 381).startsWith("data: {\"message_type\":\"usage_statistics\""));
        assertEquals("data: [DONE]\n\n", serve(records, 382));
        assertEquals("", serve(records, 383));
    }

    @Test
    void anErrorFrameIsFinalWithItsEventNameAndNoDone() {
        String body = serve(FixtureLog.of("04-error-mid-run").records(), 0);
        assertEquals(new String(LettaFixtures.sseBody("04-error-mid-run"), UTF_8), body);
        assertTrue(body.endsWith("}\n\n") && body.contains("\nevent: error\ndata: {"), body);
    }

    @Test
    void aRecordIsTakenOnceWhateverItsOffsetsRepeat() {
        List<ChunkLogRecord> records = FixtureLog.of("01-simple-reply").records();
        StreamCursor cursor = new StreamCursor(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < records.size(); i++) {
            for (int again = 0; again < 2; again++) { // catch-up and live feed overlapping
                StreamCursor.Step step = cursor.take(i, records.get(i));
                if (step.frame() != null) {
                    out.writeBytes(step.frame());
                }
            }
        }
        assertEquals(new String(LettaFixtures.sseBody("01-simple-reply"), UTF_8), out.toString(UTF_8));
    }

    @Test
    void multiLinePayloadsGoOutAsSeveralDataLines() {
        assertEquals(
                "event: error\ndata: {\"a\":\ndata: 1}\n\n",
                new String(SseFrames.frame("error", "{\"a\":\n1}".getBytes(UTF_8)), UTF_8));
    }

    private static String serve(List<ChunkLogRecord> records, long startingAfter) {
        StreamCursor cursor = new StreamCursor(startingAfter);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < records.size() && !cursor.ended(); i++) {
            StreamCursor.Step step = cursor.take(i, records.get(i));
            if (step.frame() != null) {
                out.writeBytes(step.frame());
            }
        }
        return out.toString(UTF_8);
    }
}
