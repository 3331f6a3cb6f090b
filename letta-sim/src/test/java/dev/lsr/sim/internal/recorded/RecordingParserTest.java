package dev.lsr.sim.internal.recorded;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.sim.internal.producer.ScriptEntry;
import dev.lsr.sim.internal.store.FrameKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordingParserTest {

    private static List<ScriptEntry.Frame> frames(Recording recording) {
        return recording.script().stream()
                .filter(ScriptEntry.Frame.class::isInstance)
                .map(ScriptEntry.Frame.class::cast)
                .toList();
    }

    private static List<ScriptEntry.RecordedPing> pings(Recording recording) {
        return recording.script().stream()
                .filter(ScriptEntry.RecordedPing.class::isInstance)
                .map(ScriptEntry.RecordedPing.class::cast)
                .toList();
    }

    @Test
    void keepalivePingsAreTimelineEntriesThatReplayAfterTheFrameTheyFollowed() {
        Recording run = RecordingParser.parseSse("05", LettaFixtures.sseBody("05-long-run-with-pings"));

        assertEquals(1, run.firstSeq());
        assertTrue(run.isComplete());
        assertEquals(383, run.storedCount(), "380 chunks incl. the initial ping, stop_reason, usage, [DONE]");
        assertEquals(
                List.of(85L, 85L, 85L, 105L),
                pings(run).stream().map(ScriptEntry.RecordedPing::replayBelow).toList());
        assertEquals(FrameKind.PING, frames(run).getFirst().spec().kind(), "the initial ping (seq 1) is stored");
    }

    @Test
    void hiddenNumbersAreCountedAndTheErrorFrameIsFinal() {
        Recording run = RecordingParser.parseSse("04", LettaFixtures.sseBody("04-error-mid-run"));

        List<ScriptEntry.Frame> frames = frames(run);
        assertEquals(29, frames.size());
        assertEquals("error", frames.get(26).spec().stopReason());
        assertEquals("llm_api_error", frames.get(27).spec().stopReason());
        assertEquals(FrameKind.ERROR, frames.get(28).spec().kind());
        assertTrue(frames.get(28).spec().isFinal());
        assertTrue(frames.get(28).spec().errorJson().contains("\"seq_id\":null"), "metadata.error shows seq_id null");
    }

    @Test
    void aResumeBodyStartsAtItsFirstVisibleSeqAndAPartialConnectionHasNoFinal() {
        Recording replay = RecordingParser.parseSse("07b", LettaFixtures.sseBody("07b-resume-replay-after-150"));
        Recording partial = RecordingParser.parseSse("07a", LettaFixtures.sseBody("07a-resume-initial-connection"));

        assertEquals(151, replay.firstSeq());
        assertFalse(replay.isComplete());
        assertTrue(replay.hasFinal());
        assertEquals(1, partial.firstSeq());
        assertFalse(partial.hasFinal());
        assertEquals(150, partial.storedCount());
    }

    @Test
    void chunkFilesRebuildTheExactSseFrames() {
        for (String run : List.of(
                "01-simple-reply",
                "04-error-mid-run",
                "05-long-run-with-pings",
                "06-cancelled-mid-way",
                "07a-resume-initial-connection")) {
            Recording fromJsonl = RecordingParser.parseJsonl(run, LettaFixtures.bytes(run + ".jsonl"));
            StringBuilder body = new StringBuilder();
            for (ScriptEntry entry : fromJsonl.script()) {
                body.append(new String(
                        entry instanceof ScriptEntry.Frame frame
                                ? frame.spec().bytes()
                                : ((ScriptEntry.RecordedPing) entry).bytes(),
                        UTF_8));
            }
            assertEquals(new String(LettaFixtures.sseBody(run), UTF_8), body.toString(), run);
        }
    }

    @Test
    void aVisibleSeqThatDisagreesWithTheCountIsRejected() {
        String body =
                new String(LettaFixtures.sseBody("01-simple-reply"), UTF_8).replace("\"seq_id\":30,", "\"seq_id\":31,");
        RecordingException failure =
                assertThrows(RecordingException.class, () -> RecordingParser.parseSse("bad", body.getBytes(UTF_8)));
        assertTrue(failure.getMessage().contains("seq_id 31 where the count gives 30"), failure.getMessage());
    }

    @Test
    void framesAfterTheFinalEntryAreRejected() {
        byte[] body = (new String(LettaFixtures.sseBody("01-simple-reply"), UTF_8)
                        + "data: {\"message_type\":\"ping\"}\n\n")
                .getBytes(UTF_8);
        assertThrows(RecordingException.class, () -> RecordingParser.parseSse("bad", body));
    }

    @Test
    void theLoaderKeepsTheCompleteRecordingWithTheMostEntries() {
        List<RecordingSource> sources = new ArrayList<>();
        for (String run :
                List.of("07a-resume-initial-connection", "05-long-run-with-pings", "07b-resume-replay-after-150")) {
            sources.add(new RecordingSource(run + ".sse", LettaFixtures.sseBody(run), true));
            sources.add(new RecordingSource(run + ".jsonl", LettaFixtures.bytes(run + ".jsonl"), false));
        }
        List<Recording> chosen = RecordingLoader.select(sources);
        assertEquals(1, chosen.size());
        assertEquals("05-long-run-with-pings.sse", chosen.getFirst().source());
    }
}
