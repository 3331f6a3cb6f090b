package dev.lsr.recorder.internal.drain;

import static dev.lsr.recorder.testing.RecordingAppender.value;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.recorder.RecorderListener;
import dev.lsr.recorder.internal.sse.SseFrame;
import dev.lsr.recorder.internal.sse.SseFrameReader;
import dev.lsr.recorder.testing.LogCapture;
import dev.lsr.recorder.testing.MutableClock;
import dev.lsr.recorder.testing.RecordingAppender;
import java.time.Instant;
import java.util.List;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class FrameRecorderTest {

    private static final String RUN = "run-1";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-14T18:00:00Z"));
    private final RecordingAppender log = new RecordingAppender();
    private final RunCursor cursor = new RunCursor(RUN, "agent-1", "conv-1", Position.START, clock.instant());
    private final FrameRecorder recorder =
            new FrameRecorder(cursor, new RecordFactory("http://letta", clock), log, RecorderListener.NONE);

    @Test
    void aChunkIsAppendedVerbatimWithItsEnvelope() {
        byte[] payload = "{\"message_type\":\"assistant_message\",\"seq_id\":1,\"run_id\":\"run-1\",\"content\":\"hé\"}"
                .getBytes(UTF_8);
        assertFalse(recorder.handle(new SseFrame(null, payload, payload.length)));
        ChunkLogRecord record = log.records(RUN).getFirst();
        assertArrayEquals(payload, record.value());
        assertEquals(Position.ofSeq(1), record.position());
        assertEquals("run-1/1", record.envelope().id());
        assertEquals("http://letta", record.envelope().source());
        assertEquals("agent-1", record.envelope().agentId());
        assertEquals("conv-1", record.envelope().conversationId());
        assertEquals(clock.instant(), record.envelope().receivedAt());
        assertNull(record.envelope().sseEvent());
    }

    @Test
    void anErrorFrameIsAppendedWithItsEventNameAndEndsTheStream() {
        byte[] payload = "{\"message_type\":\"error_message\",\"seq_id\":1}".getBytes(UTF_8);
        assertTrue(recorder.handle(new SseFrame("error", payload, payload.length)));
        assertEquals("error", log.records(RUN).getFirst().envelope().sseEvent());
    }

    @Test
    void malformedJsonIsRejectedAtItsPositionAndTheRunGoesOn() {
        chunk("{\"message_type\":\"reasoning_message\",\"seq_id\":1}");
        frame("{\"message_type\":\"reasoning_message\",\"seq_id\":2,\"content\":\"cut");
        chunk("{\"message_type\":\"reasoning_message\",\"seq_id\":3}");
        assertEquals(List.of(RecordType.CHUNK, RecordType.CHUNK_REJECTED, RecordType.CHUNK), log.types(RUN));
        ChunkLogRecord rejected = log.records(RUN).get(1);
        assertEquals(Position.ofSeq(2), rejected.position(), "the raw seq_id still places it");
        LifecycleEvent.ChunkRejected value = value(rejected, LifecycleEvent.ChunkRejected.class);
        assertEquals("malformed_json", value.reason());
        assertTrue(value.prefix().startsWith("{\"message_type\""));
        assertEquals(1, cursor.rejected());
    }

    @Test
    void invalidUtf8IsRejectedAndAReplayOfItIsNotRejectedTwice() {
        byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        recorder.handle(new SseFrame(null, bad, bad.length));
        recorder.startConnection(0);
        recorder.handle(new SseFrame(null, bad, bad.length));
        chunk("{\"message_type\":\"stop_reason\",\"stop_reason\":\"end_turn\"}");
        assertEquals(List.of(RecordType.CHUNK_REJECTED, RecordType.CHUNK), log.types(RUN));
        assertEquals(new Position(0, 1), log.records(RUN).get(0).position());
        assertEquals(new Position(0, 2), log.records(RUN).get(1).position());
        assertEquals(
                "invalid_utf8",
                value(log.records(RUN).getFirst(), LifecycleEvent.ChunkRejected.class)
                        .reason());
    }

    @Test
    void anOversizedFrameIsRejectedWithItsSize() {
        byte[] prefix = "{\"seq_id\":1,\"content\":\"xxxx".getBytes(UTF_8);
        recorder.handle(new SseFrame(null, prefix, 9_000_000));
        LifecycleEvent.ChunkRejected value = value(log.records(RUN).getFirst(), LifecycleEvent.ChunkRejected.class);
        assertEquals("oversized", value.reason());
        assertEquals(9_000_000, value.sizeBytes());
        assertEquals(Position.ofSeq(1), log.records(RUN).getFirst().position());
    }

    /**
     * A stream that sends seq-less frames after a seq without end (a broken server or proxy) is not held in memory
     * until it confirms them: past the hold limit they are appended as they come, in order, each once.
     */
    @Test
    void seqLessFramesPastTheHoldLimitAreAppendedAsTheyComeInOrderEachOnce() {
        chunk("{\"message_type\":\"assistant_message\",\"seq_id\":1}");
        String padding = "x".repeat(4_000);
        int frames = 2_000; // 8 MB
        for (int i = 0; i < frames; i++) {
            chunk("{\"message_type\":\"usage_statistics\",\"n\":" + i + ",\"pad\":\"" + padding + "\"}");
        }
        int appendedBeforeAnyConfirmation = log.records(RUN).size();
        assertEquals(
                frames + 1,
                appendedBeforeAnyConfirmation,
                "held in memory, unconfirmed: " + (frames + 1 - appendedBeforeAnyConfirmation));

        recorder.streamEnded();
        List<Position> positions =
                log.records(RUN).stream().map(ChunkLogRecord::position).toList();
        assertEquals(frames + 1, positions.size());
        for (int i = 0; i <= frames; i++) {
            assertEquals(new Position(1, i), positions.get(i));
        }
    }

    /** A stream with a gap before every frame is recorded gap by gap, and logged once per run at WARN, not per gap. */
    @Test
    void aStreamWithAGapAtEveryFrameWarnsOncePerRun() {
        try (LogCapture logs = LogCapture.capture()) {
            for (int seq = 1; seq <= 200; seq += 2) {
                chunk("{\"message_type\":\"assistant_message\",\"seq_id\":" + seq + "}");
            }
            assertEquals(99, log.ofType(RUN, RecordType.RUN_GAP).size());
            assertEquals(99, cursor.gaps());
            List<String> warnings = logs.events().stream()
                    .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                    .map(e -> e.getFormattedMessage())
                    .toList();
            assertEquals(1, warnings.size(), "WARN lines: " + warnings.size());
            assertTrue(warnings.getFirst().startsWith("Run run-1: seqs 2 .. 2 are missing"), warnings.getFirst());
        }
    }

    @Test
    void keepalivePingsAndReplaysAreNotAppended() {
        chunk("{\"message_type\":\"ping\",\"seq_id\":1,\"run_id\":\"run-1\"}");
        chunk("{\"message_type\":\"ping\",\"seq_id\":1,\"run_id\":\"run-1\"}");
        chunk("{\"message_type\":\"assistant_message\",\"seq_id\":2}");
        recorder.startConnection(1);
        chunk("{\"message_type\":\"ping\",\"seq_id\":null}");
        chunk("{\"message_type\":\"assistant_message\",\"seq_id\":2}");
        chunk("{\"message_type\":\"stop_reason\",\"stop_reason\":\"end_turn\"}");
        recorder.streamEnded();
        assertEquals(
                List.of(Position.ofSeq(1), Position.ofSeq(2), new Position(2, 1)),
                log.records(RUN).stream().map(ChunkLogRecord::position).toList());
        assertEquals("end_turn", cursor.lastStopReason());
    }

    @Test
    void aReplayedStopReasonStillTellsTheStopReason() {
        RunCursor restored = new RunCursor(RUN, null, null, new Position(60, 1), clock.instant());
        resumedAfter(restored, 60, null, "{\"message_type\":\"stop_reason\",\"stop_reason\":\"end_turn\"}");
        assertTrue(log.all().isEmpty());
        assertEquals("end_turn", restored.lastStopReason());
    }

    @Test
    void aSeqPastTheNextNumberIsRecordedAsAGapBeforeItsChunk() {
        List<String> gaps = new java.util.ArrayList<>();
        FrameRecorder counted =
                new FrameRecorder(cursor, new RecordFactory("http://letta", clock), log, new RecorderListener() {
                    @Override
                    public void gapRecorded(String runId, String cause, long missing) {
                        gaps.add(runId + " " + cause + " " + missing);
                    }
                });
        for (String json : List.of(
                "{\"message_type\":\"ping\",\"seq_id\":1}", "{\"message_type\":\"assistant_message\",\"seq_id\":2}")) {
            byte[] bytes = json.getBytes(UTF_8);
            counted.handle(new SseFrame(null, bytes, bytes.length));
        }
        counted.startConnection(2);
        byte[] far = "{\"message_type\":\"assistant_message\",\"seq_id\":5003}".getBytes(UTF_8);
        counted.handle(new SseFrame(null, far, far.length));

        assertEquals(List.of(RecordType.CHUNK, RecordType.CHUNK, RecordType.RUN_GAP, RecordType.CHUNK), log.types(RUN));
        ChunkLogRecord gap = log.records(RUN).get(2);
        assertEquals(new LifecycleEvent.RunGap(3, 5002L, "trimmed"), value(gap, LifecycleEvent.RunGap.class));
        assertEquals("run-1/gap/3", gap.envelope().id(), "the same id when a restarted recorder finds it again");
        assertEquals(Position.ofSeq(2), gap.position());
        assertEquals(List.of("run-1 trimmed 5000"), gaps);
    }

    @Test
    void theNumbersTakenBySeqLessFramesAreNoGap() {
        chunk("{\"message_type\":\"ping\",\"seq_id\":1}");
        chunk("{\"message_type\":\"stop_reason\",\"stop_reason\":\"error\"}");
        chunk("{\"message_type\":\"stop_reason\",\"stop_reason\":\"llm_api_error\"}");
        chunk("{\"message_type\":\"error_message\",\"seq_id\":4}");
        assertEquals(List.of(RecordType.CHUNK, RecordType.CHUNK, RecordType.CHUNK, RecordType.CHUNK), log.types(RUN));
    }

    @Test
    void aResumeWhoseSeqLessFramesWereTrimmedCountsThemFromTheLog() {
        RunCursor restored = new RunCursor(RUN, null, null, new Position(26, 2), clock.instant());
        resumedAfter(restored, 26, "error", "{\"message_type\":\"error_message\",\"seq_id\":29}");
        assertEquals(List.of(RecordType.CHUNK), log.types(RUN), "26.1 and 26.2 took 27 and 28");
    }

    @Test
    void aFreshRunWhoseFirstSeqIsNotOneLostItsStart() {
        chunk("{\"message_type\":\"assistant_message\",\"seq_id\":5001}");
        assertEquals(
                new LifecycleEvent.RunGap(1, 5000L, "trimmed"),
                value(log.records(RUN).getFirst(), LifecycleEvent.RunGap.class));
        assertEquals(Position.START, log.records(RUN).getFirst().position());
    }

    /** A recorder for a run the log holds up to {@code restored}'s position, on a connection resumed after {@code seq}. */
    private void resumedAfter(RunCursor restored, long seq, String event, String json) {
        FrameRecorder afterRestart =
                new FrameRecorder(restored, new RecordFactory("http://letta", clock), log, RecorderListener.NONE);
        afterRestart.startConnection(seq);
        byte[] bytes = json.getBytes(UTF_8);
        afterRestart.handle(new SseFrame(event, bytes, bytes.length));
    }

    @Test
    void aSeqLessPerConnectionErrorTakesNoPositionSoTheReplayedTailIsKept() {
        chunk("{\"message_type\":\"assistant_message\",\"seq_id\":1}");
        assertTrue(
                error("{\"error\": \"boom\", \"code\": \"INTERNAL_SERVER_ERROR\"}"), "the error ends the connection");
        recorder.startConnection(1);
        chunk("{\"message_type\":\"stop_reason\",\"stop_reason\":\"end_turn\"}");
        chunk("{\"message_type\":\"usage_statistics\"}");
        recorder.streamEnded();
        assertEquals(
                List.of(
                        "{\"message_type\":\"assistant_message\",\"seq_id\":1}",
                        "{\"message_type\":\"stop_reason\",\"stop_reason\":\"end_turn\"}",
                        "{\"message_type\":\"usage_statistics\"}"),
                log.chunks(RUN),
                "the stop_reason and usage replayed after the error keep (1, 1) and (1, 2)");
        assertEquals(
                List.of(Position.ofSeq(1), new Position(1, 1), new Position(1, 2)),
                log.ofType(RUN, RecordType.CHUNK).stream()
                        .map(ChunkLogRecord::position)
                        .toList());
        assertEquals(
                List.of(RecordType.CHUNK, RecordType.CONNECTION_ERROR, RecordType.CHUNK, RecordType.CHUNK),
                log.types(RUN));
        assertEquals(Position.ofSeq(1), log.records(RUN).get(1).position(), "takes no position of its own");
    }

    @Test
    void aCloudErrorRepeatingTheLastSeqIsRecordedAsAConnectionErrorNotDropped() {
        chunk("{\"message_type\":\"assistant_message\",\"seq_id\":1}");
        assertTrue(error("{\"message_type\":\"error_message\",\"error_code\":\"cloud_api_deployment_interrupted\","
                + "\"status_code\":503,\"retryable\":true,\"seq_id\":1}"));
        assertEquals(2, log.records(RUN).size(), "the error frame is in the log: " + log.types(RUN));
        ChunkLogRecord error = log.records(RUN).get(1);
        assertEquals(RecordType.CONNECTION_ERROR, error.type());
        LifecycleEvent.ConnectionError value = value(error, LifecycleEvent.ConnectionError.class);
        assertEquals("error", value.sseEvent());
        assertEquals(
                "cloud_api_deployment_interrupted",
                value.frame().get("error_code").asText());
        assertEquals(Position.ofSeq(1), error.position(), "takes no position of its own");
        assertEquals(Position.ofSeq(1), cursor.lastAppended());
    }

    @Test
    void aSeqInTheBytesOfABadFrameThatIsNotJustAfterTheLastSeqDoesNotMoveTheCursor() {
        chunk("{\"message_type\":\"assistant_message\",\"seq_id\":1}");
        frame("{\"message_type\":\"assistant_message\",\"seq_id\": 5000,\"content\":\"cut");
        chunk("{\"message_type\":\"assistant_message\",\"seq_id\":2}");
        assertEquals(List.of(RecordType.CHUNK, RecordType.CHUNK_REJECTED, RecordType.CHUNK), log.types(RUN));
        assertEquals(new Position(1, 1), log.records(RUN).get(1).position(), "a sub-position, not 5000");
        assertEquals(Position.ofSeq(2), log.records(RUN).get(2).position());
    }

    @Test
    void aSeqInTheBytesOfABadFrameAfterTheSeqLessFramesSinceTheLastSeqPlacesIt() {
        chunk("{\"message_type\":\"assistant_message\",\"seq_id\":1}");
        chunk("{\"message_type\":\"stop_reason\",\"stop_reason\":\"error\"}");
        chunk("{\"message_type\":\"stop_reason\",\"stop_reason\":\"llm_api_error\"}");
        frame("{\"message_type\":\"error_message\",\"seq_id\":4,\"detail\":\"cut");
        assertEquals(Position.ofSeq(4), log.records(RUN).getLast().position(), "1 + the two stop_reasons' numbers + 1");
    }

    @Test
    void anOversizedFrameFindsItsSeqBeyondThePrefixSoTheKeepalivePingRepeatingItIsNotAChunk() throws Exception {
        String big = "{\"message_type\":\"tool_call_message\",\"name\":\"" + "n".repeat(400)
                + "\",\"seq_id\":2,\"tool_call\":\"" + "a".repeat(3000) + "\"}";
        byte[] body = ("data: {\"message_type\":\"assistant_message\",\"seq_id\":1}\n\n" + "data: " + big + "\n\n"
                        + "data: {\"message_type\":\"ping\",\"seq_id\":2}\n\n")
                .getBytes(UTF_8);
        SseFrameReader reader = new SseFrameReader(new Buffer().write(body), 1024);
        for (SseFrame frame = reader.next(); frame != null; frame = reader.next()) {
            recorder.handle(frame);
        }
        assertEquals(List.of(RecordType.CHUNK, RecordType.CHUNK_REJECTED), log.types(RUN));
        assertEquals(Position.ofSeq(2), log.records(RUN).get(1).position());
    }

    @Test
    void aSeqLessErrorAfterAStopReasonIsTheRunsTerminalErrorAndAChunk() {
        chunk("{\"message_type\":\"assistant_message\",\"seq_id\":null}");
        chunk("{\"message_type\":\"stop_reason\",\"stop_reason\":\"llm_api_error\"}");
        assertTrue(error("{\"message_type\":\"error_message\",\"error_type\":\"llm_error\",\"seq_id\":null}"));
        assertEquals(List.of(RecordType.CHUNK, RecordType.CHUNK, RecordType.CHUNK), log.types(RUN));
        assertEquals(new Position(0, 3), log.records(RUN).getLast().position());
        assertTrue(recorder.endedByStoredError());
    }

    /** A stored error the recorder rejects (oversized, not UTF-8, not JSON) still ends the run's stream. */
    @Test
    void aRejectedErrorAfterAStopReasonIsStillTheRunsStoredEnd() {
        chunk("{\"message_type\":\"assistant_message\",\"seq_id\":1}");
        chunk("{\"message_type\":\"stop_reason\",\"stop_reason\":\"llm_api_error\",\"seq_id\":2}");
        byte[] prefix = "{\"message_type\":\"error_message\",\"seq_id\":3,\"detail\":\"xxxx".getBytes(UTF_8);
        assertTrue(recorder.handle(new SseFrame("error", prefix, 9_000_000)));
        assertEquals(List.of(RecordType.CHUNK, RecordType.CHUNK, RecordType.CHUNK_REJECTED), log.types(RUN));
        assertTrue(recorder.endedByStoredError());
    }

    @Test
    void aSeqLessErrorAfterTheStopReasonOfAStreamThatShowsSeqsIsTheConnections() {
        chunk("{\"message_type\":\"assistant_message\",\"seq_id\":1}");
        chunk("{\"message_type\":\"stop_reason\",\"stop_reason\":\"end_turn\"}");
        assertTrue(
                error("{\"message_type\":\"error_message\",\"error_code\":\"stream_reader_failed\",\"seq_id\":null}"));
        assertFalse(recorder.endedByStoredError(), "a stored error of a background stream shows its seq");
        recorder.startConnection(1);
        chunk("{\"message_type\":\"stop_reason\",\"stop_reason\":\"end_turn\"}");
        chunk("{\"message_type\":\"usage_statistics\"}");
        recorder.streamEnded();
        assertEquals(
                List.of(RecordType.CHUNK, RecordType.CONNECTION_ERROR, RecordType.CHUNK, RecordType.CHUNK),
                log.types(RUN),
                "the stop_reason the cut connection showed waited for the stream to confirm it: the replay did");
        assertEquals(new Position(1, 2), log.records(RUN).getLast().position(), "the usage keeps its sub-position");
    }

    @Test
    void aDeployInterruptionAfterTheStopReasonIsStillTheConnections() {
        chunk("{\"message_type\":\"assistant_message\",\"seq_id\":1}");
        chunk("{\"message_type\":\"stop_reason\",\"stop_reason\":\"end_turn\"}");
        assertTrue(
                error(
                        "{\"message_type\":\"error_message\",\"error_code\":\"cloud_api_deployment_interrupted\",\"seq_id\":null}"));
        assertFalse(recorder.endedByStoredError());
        recorder.startConnection(1);
        chunk("{\"message_type\":\"stop_reason\",\"stop_reason\":\"end_turn\"}");
        chunk("{\"message_type\":\"usage_statistics\"}");
        recorder.streamEnded();
        assertEquals(
                List.of(RecordType.CHUNK, RecordType.CONNECTION_ERROR, RecordType.CHUNK, RecordType.CHUNK),
                log.types(RUN));
        assertEquals(new Position(1, 2), log.records(RUN).getLast().position(), "the usage keeps its sub-position");
    }

    @Test
    void aSeqLessFrameOfAStreamWithSeqsIsAppendedOnceTheStreamConfirmsIt() {
        chunk("{\"message_type\":\"assistant_message\",\"seq_id\":1}");
        chunk("{\"message_type\":\"stop_reason\",\"stop_reason\":\"end_turn\"}");
        chunk("{\"message_type\":\"usage_statistics\"}");
        assertEquals(List.of(Position.ofSeq(1)), positions(), "held until [DONE] or a later seq");
        recorder.streamEnded();
        assertEquals(List.of(Position.ofSeq(1), new Position(1, 1), new Position(1, 2)), positions());
    }

    @Test
    void aLaterSeqConfirmsTheSeqLessFramesBeforeIt() {
        chunk("{\"message_type\":\"assistant_message\",\"seq_id\":1}");
        chunk("{\"message_type\":\"stop_reason\",\"stop_reason\":\"error\"}");
        chunk("{\"message_type\":\"stop_reason\",\"stop_reason\":\"llm_api_error\"}");
        assertTrue(error("{\"message_type\":\"error_message\",\"seq_id\":4}"));
        assertEquals(
                List.of(Position.ofSeq(1), new Position(1, 1), new Position(1, 2), Position.ofSeq(4)), positions());
    }

    @Test
    void theReadersOwnStopReasonBeforeAConnectionEndsWithoutDoneIsNotRecorded() {
        chunk("{\"message_type\":\"assistant_message\",\"seq_id\":1}");
        chunk("{\"message_type\": \"stop_reason\", \"stop_reason\": \"cancelled\"}");
        chunk("{\"message_type\": \"stop_reason\", \"stop_reason\": \"cancelled\"}"); // the reader's, never stored
        recorder.startConnection(1); // the connection ended without [DONE]; the resume replays the stored frames
        chunk("{\"message_type\": \"stop_reason\", \"stop_reason\": \"cancelled\"}");
        chunk("{\"message_type\":\"usage_statistics\"}");
        recorder.streamEnded();
        assertEquals(
                List.of(
                        "{\"message_type\":\"assistant_message\",\"seq_id\":1}",
                        "{\"message_type\": \"stop_reason\", \"stop_reason\": \"cancelled\"}",
                        "{\"message_type\":\"usage_statistics\"}"),
                log.chunks(RUN));
        assertEquals(List.of(Position.ofSeq(1), new Position(1, 1), new Position(1, 2)), positions());
    }

    @Test
    void aRunThatEndsWithoutDoneKeepsTheLongestTailAConnectionShowed() {
        chunk("{\"message_type\":\"assistant_message\",\"seq_id\":1}");
        chunk("{\"message_type\":\"stop_reason\",\"stop_reason\":\"end_turn\"}");
        chunk("{\"message_type\":\"usage_statistics\"}");
        recorder.startConnection(1); // cut before [DONE]; the resume is cut earlier still
        chunk("{\"message_type\":\"stop_reason\",\"stop_reason\":\"end_turn\"}");
        recorder.startConnection(1); // and the next brings nothing
        recorder.keepUnconfirmedTail();
        assertEquals(List.of(Position.ofSeq(1), new Position(1, 1), new Position(1, 2)), positions());
        recorder.keepUnconfirmedTail();
        assertEquals(3, positions().size(), "kept once");
    }

    @Test
    void aTailSetAsideIsForgottenOnceTheStreamWentOn() {
        chunk("{\"message_type\":\"assistant_message\",\"seq_id\":1}");
        chunk("{\"message_type\":\"stop_reason\",\"stop_reason\":\"requires_approval\"}");
        recorder.startConnection(1);
        chunk("{\"message_type\":\"stop_reason\",\"stop_reason\":\"requires_approval\"}");
        chunk("{\"message_type\":\"assistant_message\",\"seq_id\":3}");
        recorder.keepUnconfirmedTail();
        assertEquals(List.of(Position.ofSeq(1), new Position(1, 1), Position.ofSeq(3)), positions());
    }

    @Test
    void aStreamWithoutSeqsAppendsAtOnce() {
        chunk("{\"message_type\":\"assistant_message\",\"seq_id\":null}");
        chunk("{\"message_type\":\"stop_reason\",\"stop_reason\":\"end_turn\"}");
        assertEquals(List.of(new Position(0, 1), new Position(0, 2)), positions(), "a foreground run's cannot resume");
    }

    private List<Position> positions() {
        return log.records(RUN).stream().map(ChunkLogRecord::position).toList();
    }

    private boolean error(String json) {
        byte[] bytes = json.getBytes(UTF_8);
        return recorder.handle(new SseFrame("error", bytes, bytes.length));
    }

    private void chunk(String json) {
        frame(json);
    }

    private void frame(String json) {
        byte[] bytes = json.getBytes(UTF_8);
        recorder.handle(new SseFrame(null, bytes, bytes.length));
    }
}
