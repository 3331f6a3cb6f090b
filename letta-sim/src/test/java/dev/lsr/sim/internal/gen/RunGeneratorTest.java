package dev.lsr.sim.internal.gen;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lsr.sim.internal.producer.ScriptEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> BASE =
            List.of("id", "date", "name", "message_type", "otid", "sender_id", "step_id", "is_err", "seq_id", "run_id");
    private static final Set<String> LLM_TYPES = Set.of(
            "reasoning_message",
            "hidden_reasoning_message",
            "assistant_message",
            "tool_call_message",
            "approval_request_message");
    private static final String RUN = "run-0b7c5a8e-3f2d-4c11-9a3e-2b1f0c9d8e7a";

    private static RunPlan plan(Shape shape, boolean background, boolean tokens, boolean anthropic) {
        return new RunPlan(
                RUN,
                Instant.parse("2026-03-14T17:00:00Z"),
                background,
                true,
                tokens,
                true,
                40,
                Duration.ZERO,
                shape,
                anthropic);
    }

    private static List<String> texts(List<ScriptEntry> script) {
        List<String> frames = new ArrayList<>();
        for (ScriptEntry entry : script) {
            if (entry instanceof ScriptEntry.Frame frame) {
                frames.add(new String(frame.spec().bytes(), UTF_8));
            } else if (entry instanceof ScriptEntry.CancelHere) {
                frames.add("<cancel>");
            }
        }
        return frames;
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedDoesNot() {
        List<String> first = texts(RunGenerator.generate(plan(Shape.LONG, true, true, true), new SplittableRandom(5)));
        List<String> again = texts(RunGenerator.generate(plan(Shape.LONG, true, true, true), new SplittableRandom(5)));
        List<String> other = texts(RunGenerator.generate(plan(Shape.LONG, true, true, true), new SplittableRandom(6)));
        assertArrayEquals(first.toArray(), again.toArray());
        assertNotEquals(first, other);
    }

    @Test
    void everyShapeFollowsTheSerializationAndIdentityRules() throws Exception {
        for (Shape shape : Shape.values()) {
            for (boolean background : new boolean[] {true, false}) {
                for (boolean tokens : new boolean[] {true, false}) {
                    for (boolean anthropic : new boolean[] {true, false}) {
                        String label = shape + " bg=" + background + " tokens=" + tokens + " anthropic=" + anthropic;
                        check(
                                label,
                                shape,
                                background,
                                texts(RunGenerator.generate(
                                        plan(shape, background, tokens, anthropic),
                                        new SplittableRandom(label.hashCode()))));
                    }
                }
            }
        }
    }

    private static void check(String label, Shape shape, boolean background, List<String> frames) throws Exception {
        assertTrue(frames.getFirst().contains("\"message_type\":\"ping\""), label);
        String lastStepId = null;
        String stepMessageId = null;
        String lastType = null;
        String lastOtid = null;
        Set<String> llmSteps = new HashSet<>();
        for (String frame : frames) {
            if (!frame.startsWith("data: {\"id\"")) {
                continue;
            }
            JsonNode chunk = JSON.readTree(frame.substring(6));
            List<String> keys = new ArrayList<>();
            chunk.fieldNames().forEachRemaining(keys::add);
            assertEquals(BASE, keys.subList(0, BASE.size()), label + ": " + frame);
            assertTrue(chunk.get("seq_id").isNull(), label);
            assertEquals(RUN, chunk.get("run_id").asText(), label);
            assertTrue(chunk.get("date").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00"), label);
            String type = chunk.get("message_type").asText();
            if (type.equals("approval_request_message")) {
                assertEquals(chunk.get("id").asText(), chunk.get("otid").asText(), label);
                UUID step = UUID.fromString(stepMessageId.substring("message-".length()));
                assertEquals(
                        "message-" + SeededIds.minusOne(step), chunk.get("id").asText(), label);
                JsonNode delta = chunk.get("tool_call");
                assertTrue(
                        delta.has("name") && delta.has("arguments") && delta.has("tool_call_id"),
                        label + ": approvals serialize explicit nulls " + delta);
            }
            if (LLM_TYPES.contains(type)) {
                String stepId = chunk.get("step_id").asText();
                llmSteps.add(stepId);
                if (!stepId.equals(lastStepId)) {
                    lastStepId = stepId;
                    stepMessageId = type.equals("approval_request_message")
                            ? null
                            : chunk.get("id").asText();
                    lastType = null;
                    lastOtid = null;
                }
                if (!type.equals("approval_request_message")) {
                    assertEquals(stepMessageId, chunk.get("id").asText(), label + ": one message id per step");
                }
                String otid = chunk.get("otid").asText();
                if (lastType != null) {
                    assertEquals(
                            type.equals(lastType),
                            otid.equals(lastOtid),
                            label + ": otid changes exactly when the type changes");
                }
                lastType = type;
                lastOtid = otid;
            }
            if (type.equals("tool_return_message")) {
                UUID own = UUID.fromString(chunk.get("id").asText().substring("message-".length()));
                assertEquals(SeededIds.otid(own, 0), chunk.get("otid").asText(), label);
                assertTrue(
                        Set.of("web_search", "fetch_webpage")
                                .contains(chunk.get("name").asText()),
                        label + ": a tool return names its tool");
            }
        }
        List<String> tail = frames.subList(Math.max(0, frames.size() - 3), frames.size());
        switch (shape) {
            case ERROR -> {
                assertTrue(tail.get(0).contains("\"stop_reason\":\"error\""), label);
                assertTrue(tail.get(1).contains("\"stop_reason\":\"llm_api_error\""), label);
                assertTrue(tail.get(2).startsWith("event: error\ndata: {\"message_type\":\"error_message\""), label);
            }
            case EARLY_ERROR -> {
                String last = frames.getLast();
                assertEquals(
                        background ? "event: error" : "data: [DONE]", last.substring(0, last.indexOf('\n')), label);
            }
            case CANCEL -> assertEquals("<cancel>", frames.getLast(), label);
            default -> {
                assertTrue(tail.get(0).startsWith("data: {\"message_type\":\"stop_reason\""), label);
                JsonNode usage = JSON.readTree(tail.get(1).substring(6));
                assertEquals("usage_statistics", usage.get("message_type").asText(), label);
                assertEquals(llmSteps.size(), usage.get("step_count").asInt(), label);
                assertEquals(
                        usage.get("prompt_tokens").asInt()
                                + usage.get("completion_tokens").asInt(),
                        usage.get("total_tokens").asInt(),
                        label);
                assertEquals("data: [DONE]\n\n", tail.get(2), label);
            }
        }
    }
}
