package dev.lsr.consumer.projection.lettacode;

import static dev.lsr.consumer.projection.TestChunks.json;
import static dev.lsr.consumer.projection.TestChunks.stop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.TestChunks;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Event, summary, status and user-message lines, and the types the accumulator ignores. */
class EventLineRulesTest {

    private final TestChunks c = new TestChunks("run-1");

    private static LettaCodeBuffers drain(Chunk... chunks) {
        LettaCodeBuffers buffers = LettaCodeProjection.newSession(Options.defaults());
        buffers.drain(List.of(chunks));
        return buffers;
    }

    @Test
    void retryEventsUpsertOneStatusLinePerRetryId() {
        Chunk first = json("""
                {"id":null,"message_type":"event_message","otid":null,"seq_id":5,"run_id":"run-1","event_type":"retry",
                 "event_data":{"attempt":1,"max_attempts":3,"delay_ms":1500,"message":"  overloaded  "}}""");
        Chunk again = json("""
                {"id":null,"message_type":"event_message","otid":null,"seq_id":5,"run_id":"run-1","event_type":"retry",
                 "event_data":{"attempt":2,"delay_ms":250}}""");
        LettaCodeBuffers b = drain(first, again, stop("end_turn"));
        assertEquals(List.of("run-1-retry-5"), b.order());
        assertEquals(
                new Line.Status("run-1-retry-5", List.of("Provider stream error, retrying (attempt 2, in 250ms)")),
                b.lines().getFirst());
        LettaCodeBuffers one = drain(first);
        assertEquals(
                List.of("Provider stream error, retrying (attempt 1/3, in 2s): overloaded"),
                ((Line.Status) one.lines().getFirst()).lines());
    }

    @Test
    void aRetryEventWithSeqZeroAndNoIdsHasNoLine() {
        LettaCodeBuffers b = drain(json("""
                {"message_type":"event_message","seq_id":0,"run_id":"run-1","event_type":"retry","event_data":{}}"""));
        assertEquals(List.of(), b.order());
    }

    @Test
    void compactionEventRunsUntilItsSummaryArrives() {
        Chunk event = json("""
                {"id":"3c1f6a0e","message_type":"event_message","otid":null,"seq_id":3,"run_id":"run-1",
                 "event_type":"compaction","event_data":{"trigger":"post_step_context_check","context_window":200000}}""");
        Chunk summary = json("""
                {"id":"s-1","message_type":"summary_message","otid":null,"seq_id":4,"run_id":"run-1","summary":"Earlier: X.",
                 "compaction_stats":{"trigger":"post_step_context_check","context_tokens_before":181234,
                 "context_tokens_after":20000,"context_window":200000,"messages_count_before":80,"messages_count_after":6}}""");
        LettaCodeBuffers running = drain(c.assistant("m", "o", 1, "hi"), event);
        Line.Event before = (Line.Event) running.lines().get(1);
        assertEquals(Line.EventPhase.RUNNING, before.phase());
        assertEquals("3c1f6a0e", running.lastOtid());
        assertEquals(Line.TextPhase.FINISHED, ((Line.Text) running.lines().getFirst()).phase());

        LettaCodeBuffers done = drain(event, summary, stop("end_turn"));
        Line.Event after = (Line.Event) done.lines().getFirst();
        assertEquals(Line.EventPhase.FINISHED, after.phase());
        assertEquals("Earlier: X.", after.summary());
        assertEquals(
                new Line.CompactionStats("post_step_context_check", 181234L, 20000L, 200000L, 80L, 6L), after.stats());
        JsonNode json = done.toJson().get("buffers").get("lines").get(0);
        assertEquals(181234, json.get("stats").get("contextTokensBefore").asInt());
        assertEquals(
                "post_step_context_check", json.get("eventData").get("trigger").asText());
    }

    @Test
    void otherEventsAreFinishedAtOnce() {
        LettaCodeBuffers b = drain(json("""
                {"id":"e1","message_type":"event_message","otid":null,"seq_id":3,"run_id":"run-1","event_type":"note"}"""));
        Line.Event event = (Line.Event) b.lines().getFirst();
        assertEquals(Line.EventPhase.FINISHED, event.phase());
        assertEquals("{}", event.eventData().toString());
    }

    @Test
    void aLegacyCompactionUserMessageBecomesAFinishedCompactionLine() {
        String alert =
                "{\\\"type\\\": \\\"system_alert\\\", \\\"message\\\": \\\"Note: prior messages have been hidden."
                        + " The following is a summary of the previous messages:\\\\n  The user asked about trams.  \\\"}";
        LettaCodeBuffers b = drain(json("""
                {"id":"message-u","message_type":"user_message","otid":"u-otid","seq_id":2,"run_id":"run-1",
                 "content":"%s"}""".formatted(alert)));
        Line.Event event = (Line.Event) b.lines().getFirst();
        assertEquals("u-otid", event.id());
        assertEquals("compaction", event.eventType());
        assertEquals(Line.EventPhase.FINISHED, event.phase());
        assertEquals("The user asked about trams.", event.summary());
    }

    @Test
    void anEchoedUserMessageCreatesNoLineButTransitions() {
        LettaCodeBuffers b = drain(c.assistant("m", "o", 1, "hi"), json("""
                {"id":"message-u","message_type":"user_message","otid":"u-otid","seq_id":2,"run_id":"run-1","content":"hello"}"""));
        assertEquals(List.of("m"), b.order());
        assertEquals("u-otid", b.lastOtid());
        assertEquals(Line.TextPhase.FINISHED, ((Line.Text) b.lines().getFirst()).phase());
    }

    @Test
    void ignoredTypesLeaveTheBuffersAloneButMoveTheCursor() {
        LettaCodeBuffers b = drain(
                c.assistant("m", "o", 1, "hi"),
                json(
                        "{\"id\":\"h\",\"message_type\":\"hidden_reasoning_message\",\"otid\":\"x\",\"seq_id\":2,\"run_id\":\"run-1\",\"state\":\"redacted\"}"),
                json(
                        "{\"id\":\"s\",\"message_type\":\"system_message\",\"otid\":\"y\",\"seq_id\":3,\"run_id\":\"run-1\"}"),
                json(
                        "{\"id\":\"a\",\"message_type\":\"approval_response_message\",\"otid\":\"z\",\"seq_id\":4,\"run_id\":\"run-1\"}"),
                json(
                        "{\"id\":\"f\",\"message_type\":\"future_message_kind\",\"otid\":\"w\",\"seq_id\":5,\"run_id\":\"run-1\"}"),
                json("{\"message_type\":\"response_state\",\"seq_id\":6,\"run_id\":\"run-1\"}"),
                stop("end_turn"));
        assertEquals(List.of("m"), b.order());
        assertEquals("m", b.lastOtid());
        assertEquals(6L, b.lastDrainResult().lastSeqId());
    }

    @Test
    void anEventCancelledFrameIsDroppedLikeTheSdkDoes() {
        Chunk cancelled = new Chunk(json("{\"message\": \"Run was cancelled\"}").json(), "cancelled");
        LettaCodeBuffers b = drain(c.assistant("m", "o", 1, "hi"), cancelled, stop("end_turn"));
        assertEquals("end_turn", b.lastDrainResult().stopReason());
        assertNull(b.lastDrainResult().fallbackError());
    }
}
