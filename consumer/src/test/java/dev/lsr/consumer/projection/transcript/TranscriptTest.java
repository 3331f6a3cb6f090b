package dev.lsr.consumer.projection.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.consumer.projection.Fixtures;
import dev.lsr.consumer.projection.SyntheticLog;
import dev.lsr.consumer.projection.TokenUsage;
import dev.lsr.fixtures.LettaFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Transcripts of the fixture runs, wrapped as chunk-log records with synthetic envelopes. */
class TranscriptTest {

    private static final Instant T0 = Instant.parse("2026-03-14T17:32:11Z");
    private static final Duration STEP = Duration.ofMillis(50);

    private static List<ChunkLogRecord> recorded(String run, String runId, String stopReason, String status) {
        return new SyntheticLog(runId, T0)
                .attached()
                .chunks(LettaFixtures.chunkLines(run), STEP)
                .after(Duration.ofMillis(10))
                .finished(stopReason, status)
                .records();
    }

    private static String expectedLineField(String expectedCase, String lineId, String field) {
        for (JsonNode line : Fixtures.expected(expectedCase).get("buffers").get("lines")) {
            if (line.get("id").asText().equals(lineId)) {
                return line.get(field).asText();
            }
        }
        throw new AssertionError("no expected line " + lineId);
    }

    @Test
    void aToolCallThenAnswerRunReadsAsCallReturnAndText() {
        Transcript t = Transcripts.ofRecords(recorded(
                "02-tool-call-two-steps", "run-780c4b16-a510-49fa-a2b2-bbd1c38dbe31", "end_turn", "completed"));
        assertEquals(3, t.messages().size());
        TranscriptMessage.ToolCall call =
                assertInstanceOf(TranscriptMessage.ToolCall.class, t.messages().get(0));
        assertEquals("web_search", call.name());
        assertEquals("call_C5hUMPfonw2phM3ZUeIbdvt1", call.toolCallId());
        assertEquals("{\"query\":\"Lisbon weather right now\",\"num_results\":3}", call.arguments());
        assertFalse(call.approvalRequested());
        assertEquals("2", call.origin().firstPosition());
        assertEquals("15", call.origin().lastPosition());
        TranscriptMessage.ToolReturn ret = assertInstanceOf(
                TranscriptMessage.ToolReturn.class, t.messages().get(1));
        assertEquals("success", ret.status());
        assertEquals("web_search", ret.toolName());
        assertEquals(
                expectedLineField("02-tool-call-two-steps", "call_C5hUMPfonw2phM3ZUeIbdvt1", "resultText"), ret.text());
        TranscriptMessage.AssistantText text = assertInstanceOf(
                TranscriptMessage.AssistantText.class, t.messages().get(2));
        assertEquals(
                expectedLineField("02-tool-call-two-steps", "message-7e07f580-dc98-4149-9fb9-93b178b9722e", "text"),
                text.text());

        assertEquals("end_turn", t.stopReason());
        assertEquals("completed", t.status());
        assertEquals(new TokenUsage(4160, 85, 4245, 3328L, null, 0L, 2, 2371L), t.usage());
        assertEquals(T0, t.timing().attachedAt());
        assertEquals(T0.plus(STEP.multipliedBy(2)), t.timing().firstContentAt(), "the ping came first");
        assertEquals(T0.plus(STEP.multipliedBy(39)).plusMillis(10), t.timing().finishedAt());
        assertEquals(List.of(), t.gaps());
        assertEquals(List.of(), t.duplicates());
        assertEquals(SyntheticLog.AGENT, t.agentId());
        assertEquals(SyntheticLog.CONVERSATION, t.conversationId());
    }

    @Test
    void parallelApprovalsAreEachACompleteToolCall() {
        Transcript t = Transcripts.ofRecords(recorded(
                "03-parallel-approvals", "run-bd8ec9a1-f803-45ed-bd7c-9ec7081ab44d", "requires_approval", "completed"));
        List<TranscriptMessage.ToolCall> calls = t.messages().stream()
                .filter(TranscriptMessage.ToolCall.class::isInstance)
                .map(TranscriptMessage.ToolCall.class::cast)
                .toList();
        assertEquals(2, calls.size());
        assertTrue(calls.stream().allMatch(TranscriptMessage.ToolCall::approvalRequested));
        assertEquals("Read", calls.get(0).name());
        assertEquals(
                "{\"file_path\": \"/home/dev/app/package.json\"}", calls.get(0).arguments());
        assertEquals("Bash", calls.get(1).name());
        assertEquals(
                expectedLineField("03-parallel-approvals", "toolu_010nraRt8CONVJKNlSyGsP0t", "argsText"),
                calls.get(1).arguments());
        assertInstanceOf(TranscriptMessage.Reasoning.class, t.messages().get(0));
        assertEquals(
                "reasoner_model", ((TranscriptMessage.Reasoning) t.messages().get(0)).source());
        assertEquals("requires_approval", t.stopReason());
    }

    @Test
    void aLongRunKeepsHiddenReasoningAndIgnoresKeepalivePings() {
        Transcript t = Transcripts.ofRecords(recorded(
                "05-long-run-with-pings", "run-4ca67353-d824-444b-81c1-56cf264ca243", "end_turn", "completed"));
        List<String> kinds =
                t.messages().stream().map(m -> m.getClass().getSimpleName()).toList();
        assertEquals(
                List.of(
                        "HiddenReasoning",
                        "Reasoning",
                        "AssistantText",
                        "ToolCall",
                        "ToolReturn",
                        "Reasoning",
                        "AssistantText"),
                kinds);
        TranscriptMessage.HiddenReasoning hidden =
                (TranscriptMessage.HiddenReasoning) t.messages().getFirst();
        assertEquals("redacted", hidden.state());
        assertTrue(hidden.data().startsWith("Et"));
        assertEquals(
                expectedLineField(
                        "05-long-run-with-pings", "assistant:message-869d7866-db66-41d9-89c1-8713fa1d12de", "text"),
                ((TranscriptMessage.AssistantText) t.messages().get(6)).text());
        assertEquals(List.of(), t.duplicates(), "keepalive pings repeat seq 85 and 105 by design");
        assertEquals(List.of(), t.gaps());
    }

    @Test
    void stepModeToolCallArraysGiveEveryCallOfTheParallelSet() {
        Transcript t = Transcripts.ofChunks(List.of(
                dev.lsr.consumer.projection.TestChunks.json("""
                {"id":"message-a","message_type":"tool_call_message","otid":"a","seq_id":2,"run_id":"run-1",
                 "tool_call":{"name":"f","arguments":"{}","tool_call_id":"c1"},
                 "tool_calls":[{"name":"f","arguments":"{}","tool_call_id":"c1"},
                               {"name":"g","arguments":"{\\"x\\":1}","tool_call_id":"c2"}]}"""), dev.lsr.consumer.projection.TestChunks.json("""
                {"id":"message-r","message_type":"tool_return_message","otid":"r","seq_id":3,"run_id":"run-1",
                 "name":"f","tool_returns":[
                   {"type":"tool","tool_return":"one","status":"success","tool_call_id":"c1","stdout":["hi"],"stderr":null},
                   {"type":"tool","tool_return":"two","status":"error","tool_call_id":"c2","stdout":null,"stderr":["boom"]}]}""")));
        assertEquals(4, t.messages().size());
        TranscriptMessage.ToolCall second =
                (TranscriptMessage.ToolCall) t.messages().get(1);
        assertEquals("g", second.name());
        assertEquals("{\"x\":1}", second.arguments());
        TranscriptMessage.ToolReturn failed =
                (TranscriptMessage.ToolReturn) t.messages().get(3);
        assertEquals("g", failed.toolName(), "named after its call, not the chunk's first tool");
        assertEquals("error", failed.status());
        assertEquals(List.of("boom"), failed.stderr());
        assertEquals(List.of("hi"), ((TranscriptMessage.ToolReturn) t.messages().get(2)).stdout());
    }

    @Test
    void controlCharactersInContentAreShownNotSentToTheTerminal() {
        Transcript t = Transcripts.ofChunks(List.of(
                dev.lsr.consumer.projection.TestChunks.json("""
                {"id":"message-a","message_type":"assistant_message","otid":"a","seq_id":1,"run_id":"run-1",
                 "content":"a\\u001b[2Jb\\nnext\\tline"}"""), dev.lsr.consumer.projection.TestChunks.json("""
                {"id":"message-r","message_type":"tool_return_message","otid":"r","seq_id":2,"run_id":"run-1",
                 "name":"fetch","tool_return":"page\\u001b]52;c;aGk=\\u0007\\r\\u009b","status":"success",
                 "tool_call_id":"c1"}""")));
        String text = Transcripts.toText(t);
        assertTrue(text.chars().noneMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t'), text);
        assertTrue(text.contains("a\\u001b[2Jb\nnext\tline\n"), text);
        assertTrue(text.contains("page\\u001b]52;c;aGk=\\u0007\\u000d\\u009b\n"), text);
    }

    @Test
    void anErrorRunListsBothStopReasonsAndTheError() {
        Transcript t = Transcripts.ofRecords(new SyntheticLog("run-e4039782-67e5-43c9-ae73-35a01662e2ce", T0)
                .attached()
                .chunks(LettaFixtures.chunkLines("04-error-mid-run"), STEP)
                .records());
        assertEquals(List.of("error", "llm_api_error"), t.stopReasons());
        assertEquals("llm_api_error", t.stopReason());
        assertEquals("failed", t.status(), "derived from the stop reason: no finished record yet");
        TranscriptMessage.Error error =
                assertInstanceOf(TranscriptMessage.Error.class, t.messages().getLast());
        assertEquals("internal_error", error.errorType());
        assertEquals("An error occurred during agent execution.", error.message());
        assertEquals("29", error.origin().firstPosition());
        assertEquals(List.of(), t.gaps(), "26 -> 29 with two seq-less stop reasons in between is no gap");
        assertNull(t.usage());
        assertNull(t.timing().finishedAt());
    }

    @Test
    void aResumedRunReadsLikeTheUninterruptedOneAndListsTheResume() {
        String runId = "run-4ca67353-d824-444b-81c1-56cf264ca243";
        SyntheticLog log = new SyntheticLog(runId, T0)
                .attached()
                .chunks(LettaFixtures.chunkLines("07a-resume-initial-connection"), STEP);
        Instant dropAt = log.after(Duration.ofSeconds(3)).now();
        log.resumed(1, 150, "io_error")
                .chunks(LettaFixtures.chunkLines("07b-resume-replay-after-150"), STEP)
                .finished("end_turn", "completed");
        Transcript resumed = Transcripts.ofRecords(log.records());
        Transcript whole = Transcripts.ofChunks(Fixtures.chunks("05-long-run-with-pings"));
        assertEquals(withoutTimes(whole.messages()), withoutTimes(resumed.messages()));
        assertEquals(List.of(new Transcript.Resume(1, 150, "io_error", dropAt)), resumed.resumes());
        assertEquals(whole.usage(), resumed.usage());
    }

    @Test
    void replayedPositionsAreDuplicatesAndMissingSeqsAreGaps() {
        List<ChunkLogRecord> clean =
                recorded("01-simple-reply", "run-e88b7591-31db-4e32-98dc-b35f94c662cd", "end_turn", "completed");
        List<ChunkLogRecord> damaged = new ArrayList<>(clean.subList(0, 21));
        damaged.addAll(clean.subList(11, 14));
        damaged.addAll(clean.subList(21, 30));
        damaged.addAll(clean.subList(33, clean.size()));
        Transcript t = Transcripts.ofRecords(damaged);
        assertEquals(List.of("11", "12", "13"), t.duplicates());
        assertEquals(List.of(new Transcript.Gap("29", 3, "33")), t.gaps());
        Transcript cleanTranscript = Transcripts.ofRecords(clean);
        String cleanText =
                ((TranscriptMessage.AssistantText) cleanTranscript.messages().get(1)).text();
        String damagedText = ((TranscriptMessage.AssistantText) t.messages().get(1)).text();
        assertTrue(cleanText.length() > damagedText.length(), "the three missing deltas are missing, nothing doubled");
        assertEquals(
                ((TranscriptMessage.Reasoning) cleanTranscript.messages().get(0)).text(),
                ((TranscriptMessage.Reasoning) t.messages().get(0)).text());
    }

    @Test
    void aRecordedGapIsListedOnceAndShownWhereItHappened() {
        List<String> lines = LettaFixtures.chunkLines("01-simple-reply");
        Transcript t = Transcripts.ofRecords(new SyntheticLog("run-e88b7591-31db-4e32-98dc-b35f94c662cd", T0)
                .attached()
                .chunks(lines.subList(0, 10), STEP)
                .gap(11, 20L, "trimmed")
                .chunks(lines.subList(20, lines.size()), STEP)
                .finished("end_turn", "completed")
                .records());
        assertEquals(List.of(new Transcript.Gap("10", 10, "21", "trimmed")), t.gaps());
        TranscriptMessage.Gap gap = t.messages().stream()
                .filter(TranscriptMessage.Gap.class::isInstance)
                .map(TranscriptMessage.Gap.class::cast)
                .findFirst()
                .orElseThrow();
        assertEquals(new TranscriptMessage.Gap(gap.origin(), 11, 20L, "trimmed"), gap);
        assertEquals("10", gap.origin().firstPosition());
        String text = Transcripts.toText(t);
        assertTrue(text.contains("1 gap (10 seqs missing)"), text);
        assertTrue(
                text.contains("── gap · seqs 11 .. 20 missing ──\nrecorded by the recorder: the server had dropped"),
                text);
        assertTrue(text.indexOf("── gap ·") < text.indexOf("── assistant ──"), "in its place: before the answer");
    }

    @Test
    void aGapRightBeforeARejectedFrameIsListed() {
        List<String> lines = LettaFixtures.chunkLines("01-simple-reply");
        Transcript t = Transcripts.ofRecords(new SyntheticLog("run-e88b7591-31db-4e32-98dc-b35f94c662cd", T0)
                .attached()
                .chunks(lines.subList(0, 10), STEP)
                .rejectedFrame(14L, "oversized", "{")
                .chunks(lines.subList(14, lines.size()), STEP)
                .finished("end_turn", "completed")
                .records());
        assertEquals(List.of(new Transcript.Gap("10", 3, "14")), t.gaps());
        assertTrue(Transcripts.toText(t).contains("1 gap (3 seqs missing)"), Transcripts.toText(t));
    }

    @ParameterizedTest
    @CsvSource({
        "expired,the run expired on the server",
        "gone,the server no longer knew the run",
        "not_resumable,the server refused to resume the run"
    })
    void aGapToTheEndSaysWhyTheServerRefusedTheRest(String cause, String why) {
        List<String> lines = LettaFixtures.chunkLines("01-simple-reply");
        Transcript t = Transcripts.ofRecords(new SyntheticLog("run-e88b7591-31db-4e32-98dc-b35f94c662cd", T0)
                .attached()
                .chunks(lines.subList(0, 10), STEP)
                .gap(11, null, cause)
                .records());
        String text = Transcripts.toText(t);
        assertTrue(text.contains("recorded by the recorder: " + why), text);
    }

    @Test
    void aRecordedGapWithoutCauseIsShownWithAnUnknownCause() {
        List<String> lines = LettaFixtures.chunkLines("01-simple-reply");
        Transcript t = Transcripts.ofRecords(new SyntheticLog("run-e88b7591-31db-4e32-98dc-b35f94c662cd", T0)
                .attached()
                .chunks(lines.subList(0, 10), STEP)
                .gap(11, 20L, null)
                .records());
        String text = Transcripts.toText(t);
        assertTrue(
                text.contains("── gap · seqs 11 .. 20 missing ──\nrecorded by the recorder (cause unknown)\n"), text);
    }

    @Test
    void plainChunksGiveTheSameMessagesWithoutRecorderTiming() {
        Transcript fromRecords = Transcripts.ofRecords(
                recorded("06-cancelled-mid-way", "run-5ccec58f-0e70-4378-a129-7842bc337b8d", "cancelled", "cancelled"));
        Transcript fromChunks = Transcripts.ofChunks(Fixtures.chunks("06-cancelled-mid-way"));
        assertEquals(withoutTimes(fromRecords.messages()), withoutTimes(fromChunks.messages()));
        assertNull(fromChunks.timing().attachedAt(), "plain chunks: no attach, no finish, times from the chunks");
        assertNull(fromChunks.timing().finishedAt());
        assertEquals("cancelled", fromChunks.status());
        assertEquals("run-5ccec58f-0e70-4378-a129-7842bc337b8d", fromChunks.runId());
        TranscriptMessage.ToolCall call =
                (TranscriptMessage.ToolCall) fromChunks.messages().getLast();
        assertEquals("{\"url\": \"https://www.rfc-editor.org/rfc/rfc9110", call.arguments(), "incomplete JSON kept");
    }

    @Test
    void rejectedAndUnreadableRecordsAreCountedAndShown() {
        Transcript t = Transcripts.ofRecords(new SyntheticLog("run-e88b7591-31db-4e32-98dc-b35f94c662cd", T0)
                .attached()
                .chunks(LettaFixtures.chunkLines("01-simple-reply").subList(0, 3), STEP)
                .rejected("malformed_json", "{\"id\":")
                .garbageChunk("not json")
                .records());
        assertEquals(1, t.rejectedChunks());
        assertEquals(1, t.unreadableRecords());
        TranscriptMessage.Error rejected =
                assertInstanceOf(TranscriptMessage.Error.class, t.messages().getLast());
        assertEquals("chunk_rejected:malformed_json", rejected.errorType());
    }

    @Test
    void jsonIsDeterministicAndTypedAndTextIsReadable() {
        List<ChunkLogRecord> records =
                recorded("02-tool-call-two-steps", "run-780c4b16-a510-49fa-a2b2-bbd1c38dbe31", "end_turn", "completed");
        String json = Transcripts.toJsonText(Transcripts.ofRecords(records));
        assertEquals(json, Transcripts.toJsonText(Transcripts.ofRecords(records)));
        JsonNode tree = Transcripts.toJson(Transcripts.ofRecords(records));
        assertEquals("tool_call", tree.get("messages").get(0).get("type").asText());
        assertEquals("web_search", tree.get("messages").get(0).get("name").asText());
        assertEquals(4160, tree.get("usage").get("input_tokens").asInt());
        assertEquals(
                "2026-03-14T17:32:11Z", tree.get("timing").get("attached_at").asText());

        String text = Transcripts.toText(Transcripts.ofRecords(records));
        assertTrue(text.startsWith("Run run-780c4b16-a510-49fa-a2b2-bbd1c38dbe31  agent agent-5b8f0d3e"), text);
        assertTrue(text.contains("Status completed · stop reason end_turn\n"), text);
        assertTrue(text.contains("first content +0.1s"), text);
        assertTrue(
                text.contains("── tool call web_search (call_C5hUMPfonw2phM3ZUeIbdvt1) ──\n"
                        + "{\"query\":\"Lisbon weather right now\",\"num_results\":3}\n"),
                text);
        assertTrue(text.contains("── tool return web_search · success (call_C5hUMPfonw2phM3ZUeIbdvt1) ──"), text);
        assertTrue(text.contains("Usage 4160 in · 85 out · 4245 total · 3328 cached · 2 steps"), text);
    }

    private static List<TranscriptMessage> withoutTimes(List<TranscriptMessage> messages) {
        return messages.stream().map(TranscriptTest::withoutTime).toList();
    }

    private static TranscriptMessage withoutTime(TranscriptMessage m) {
        MessageOrigin o = new MessageOrigin(
                m.origin().messageId(),
                m.origin().otid(),
                m.origin().stepId(),
                m.origin().firstPosition(),
                m.origin().lastPosition(),
                null);
        return switch (m) {
            case TranscriptMessage.Reasoning r -> new TranscriptMessage.Reasoning(o, r.text(), r.source());
            case TranscriptMessage.HiddenReasoning h -> new TranscriptMessage.HiddenReasoning(o, h.state(), h.data());
            case TranscriptMessage.AssistantText a -> new TranscriptMessage.AssistantText(o, a.text());
            case TranscriptMessage.ToolCall c ->
                new TranscriptMessage.ToolCall(o, c.toolCallId(), c.name(), c.arguments(), c.approvalRequested());
            case TranscriptMessage.ToolReturn r ->
                new TranscriptMessage.ToolReturn(
                        o, r.toolCallId(), r.toolName(), r.status(), r.text(), r.stdout(), r.stderr());
            case TranscriptMessage.Event e -> new TranscriptMessage.Event(o, e.eventType(), e.eventData());
            case TranscriptMessage.Summary s -> new TranscriptMessage.Summary(o, s.summary(), s.stats());
            case TranscriptMessage.UserMessage u -> new TranscriptMessage.UserMessage(o, u.text());
            case TranscriptMessage.Error e -> new TranscriptMessage.Error(o, e.errorType(), e.message(), e.detail());
            case TranscriptMessage.Gap g -> new TranscriptMessage.Gap(o, g.from(), g.to(), g.cause());
            case TranscriptMessage.Other x -> new TranscriptMessage.Other(o, x.messageType(), x.chunk());
        };
    }
}
