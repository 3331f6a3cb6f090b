package dev.lsr.consumer.analytics.spans;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.consumer.projection.internal.Content;
import dev.lsr.consumer.projection.internal.Js;
import dev.lsr.consumer.projection.internal.ToolCalls;
import dev.lsr.consumer.projection.summary.RunSummaryFold;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the spans job keeps of one run until it ends: the run summary's fold (the run-level facts, once:
 * status, times, usage, counts), and the times of each step, tool call, resume and recorded gap. Mutable,
 * owned by the job; saved and restored whole by {@link RunTraceCodec}.
 */
public final class RunTrace {

    /** One LLM step: from the last record heard before its first output chunk to its last output chunk (epoch ns). */
    record Step(String id, Long start, Long firstChunk, Long lastChunk) {}

    /** One tool call: its first call chunk to its return (epoch ns; no return: null). */
    record Tool(
            String id, String name, String stepId, Long calledAt, Long returnedAt, String status, boolean approval) {

        Tool named(String newName) {
            return new Tool(id, newName, stepId, calledAt, returnedAt, status, approval);
        }

        Tool returned(Long at, String newStatus) {
            return new Tool(id, name, stepId, calledAt, at, newStatus, approval);
        }
    }

    /** A resume or a recorded gap, where it happened (epoch ns). */
    record Event(String name, Long at, String cause, Long missing) {}

    final String runId;
    RunSummaryFold summary;
    /** The last chunk taken: a chunk at or before it is a repeat (pings repeat it by design). */
    Position lastChunk;
    /** When the recorder last received a record of the run (epoch ns). */
    Long lastHeardAt;

    final Map<String, Step> steps = new LinkedHashMap<>();
    final Map<String, Tool> tools = new LinkedHashMap<>();
    final List<Event> events = new ArrayList<>();
    /** The run's terminal record was read: its span tree is known. */
    boolean complete;
    /** The span tree is in a written record already (see {@link SpansRunFold#value}). */
    boolean written;

    RunTrace(String runId, RunSummaryFold summary) {
        this.runId = runId;
        this.summary = summary;
    }

    /** A chunk not seen before, with its receipt time (epoch ns, or null when unknown). */
    void chunk(String messageType, JsonNode json, Long at) {
        String stepId = Js.truthyString(json, "step_id");
        if (Content.isModelOutput(messageType) && stepId != null) {
            Step step = steps.get(stepId);
            steps.put(
                    stepId,
                    step == null
                            ? new Step(stepId, lastHeardAt != null ? lastHeardAt : at, at, at)
                            : new Step(stepId, step.start(), step.firstChunk(), at));
        }
        switch (messageType == null ? "" : messageType) {
            case "tool_call_message", "approval_request_message" ->
                called(json, stepId, at, "approval_request_message".equals(messageType));
            case "tool_return_message" -> returned(json, at);
            default -> {
                // other chunks only move the times
            }
        }
    }

    private void called(JsonNode json, String stepId, Long at, boolean approval) {
        for (JsonNode call : ToolCalls.of(json)) {
            String id = Js.truthyString(call, "tool_call_id");
            if (id == null) {
                continue;
            }
            String name = Js.truthyString(call, "name");
            Tool tool = tools.get(id);
            if (tool == null) {
                tools.put(id, new Tool(id, name, stepId, at, null, null, approval));
            } else if (tool.name() == null && name != null) {
                tools.put(id, tool.named(name));
            }
        }
    }

    private void returned(JsonNode json, Long at) {
        JsonNode array = json.get("tool_returns");
        if (array != null && array.isArray() && !array.isEmpty()) {
            array.forEach(ret -> returnOf(Js.truthyString(ret, "tool_call_id"), Js.string(ret, "status"), at));
        } else {
            returnOf(Js.truthyString(json, "tool_call_id"), Js.string(json, "status"), at);
        }
    }

    private void returnOf(String id, String status, Long at) {
        if (id == null) {
            return;
        }
        Tool tool = tools.get(id);
        // a return without its call (the call fell in a gap) still gets its span, without a start
        tools.put(id, (tool != null ? tool : new Tool(id, null, null, null, null, null, false)).returned(at, status));
    }

    /** A recorder record of the run. */
    void lifecycle(LifecycleEvent event, Long at) {
        switch (event) {
            case LifecycleEvent.RunResumed resumed ->
                events.add(new Event(GenAi.RESUMED_EVENT, at, resumed.cause(), null));
            case LifecycleEvent.RunGap gap ->
                events.add(new Event(GenAi.GAP_EVENT, at, gap.cause(), gap.missing() < 0 ? null : gap.missing()));
            default -> {
                if (event.type().isTerminal()) {
                    complete = true;
                }
            }
        }
    }

    void heard(Long at) {
        if (at != null) {
            lastHeardAt = at;
        }
    }

    static Long nanos(Instant at) {
        return at == null ? null : at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }
}
