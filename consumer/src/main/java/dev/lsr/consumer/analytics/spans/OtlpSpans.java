package dev.lsr.consumer.analytics.spans;

import com.google.protobuf.ByteString;
import dev.lsr.consumer.projection.summary.RunSummary;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A finished run's span tree as one OTLP {@code ExportTraceServiceRequest}: the {@code invoke_agent} span of
 * the run, a {@code chat} span per step and an {@code execute_tool} span per tool call (children of the run's
 * span), with the resumes and recorded gaps as events of the run's span. Attribute names: {@link GenAi}.
 */
final class OtlpSpans {

    /** The resource's {@code service.name}: the spans describe what the recorder recorded. */
    static final String SERVICE = "letta-stream-recorder";

    /** Statuses of a run that went as the caller asked (span status unset); the others are errors. */
    private static final Set<String> FINE = Set.of("completed", "cancelled");

    private OtlpSpans() {}

    static ExportTraceServiceRequest of(RunTrace trace) {
        RunSummary summary = trace.summary.summary();
        String runId = trace.runId;
        ByteString traceId = ByteString.copyFrom(TraceIds.trace(runId));
        ByteString runSpanId = ByteString.copyFrom(TraceIds.run(runId));
        Long runStart = RunTrace.nanos(summary.startedAt());
        Long runEnd = RunTrace.nanos(summary.finishedAt() != null ? summary.finishedAt() : summary.lastChunkAt());

        List<Span> spans = new ArrayList<>();
        spans.add(runSpan(trace, summary, traceId, runSpanId, runStart, runEnd));
        boolean oneStep = trace.steps.size() == 1;
        for (RunTrace.Step step : trace.steps.values()) {
            Span.Builder span = child(traceId, runSpanId, TraceIds.step(runId, step.id()))
                    .setName(GenAi.CHAT)
                    .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                    .setStartTimeUnixNano(orZero(step.start()))
                    .setEndTimeUnixNano(orZero(step.lastChunk()))
                    .addAttributes(string(GenAi.OPERATION_NAME, GenAi.CHAT))
                    .addAttributes(string(GenAi.PROVIDER_NAME, "letta"))
                    .addAttributes(string(GenAi.STEP_ID, step.id()));
            seconds(span, GenAi.TIME_TO_FIRST_CHUNK, step.start(), step.firstChunk());
            if (oneStep) {
                usage(span, summary); // Letta reports usage per run: it is the step's only when there is one
            }
            spans.add(span.build());
        }
        for (RunTrace.Tool tool : trace.tools.values()) {
            String name = tool.name() != null ? tool.name() : "unknown";
            Long end = tool.returnedAt() != null ? tool.returnedAt() : runEnd;
            Span.Builder span = child(traceId, runSpanId, TraceIds.tool(runId, tool.id()))
                    .setName(GenAi.EXECUTE_TOOL + " " + name)
                    .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                    .setStartTimeUnixNano(orZero(tool.calledAt() != null ? tool.calledAt() : end))
                    .setEndTimeUnixNano(orZero(end))
                    .addAttributes(string(GenAi.OPERATION_NAME, GenAi.EXECUTE_TOOL))
                    .addAttributes(string(GenAi.TOOL_NAME, name))
                    .addAttributes(string(GenAi.TOOL_CALL_ID, tool.id()))
                    .addAttributes(string(GenAi.TOOL_TYPE, "function"))
                    .addAttributes(bool(GenAi.APPROVAL_REQUESTED, tool.approval()))
                    .addAttributes(string(GenAi.TOOL_STATUS, tool.status() != null ? tool.status() : "not_returned"));
            if (tool.stepId() != null) {
                span.addAttributes(string(GenAi.STEP_ID, tool.stepId()));
            }
            if ("error".equals(tool.status())) {
                span.setStatus(error("the tool returned an error"));
            }
            spans.add(span.build());
        }
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(string("service.name", SERVICE)))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName(GenAi.SCOPE))
                                .addAllSpans(spans)))
                .build();
    }

    private static Span runSpan(
            RunTrace trace, RunSummary summary, ByteString traceId, ByteString spanId, Long start, Long end) {
        Span.Builder span = Span.newBuilder()
                .setTraceId(traceId)
                .setSpanId(spanId)
                .setName(summary.agentId() != null ? GenAi.INVOKE_AGENT + " " + summary.agentId() : GenAi.INVOKE_AGENT)
                .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .setStartTimeUnixNano(orZero(start))
                .setEndTimeUnixNano(orZero(end))
                .addAttributes(string(GenAi.OPERATION_NAME, GenAi.INVOKE_AGENT))
                .addAttributes(string(GenAi.PROVIDER_NAME, "letta"))
                .addAttributes(string(GenAi.RUN_ID, trace.runId))
                .addAttributes(string(GenAi.RUN_STATUS, summary.status()))
                .addAttributes(integer(GenAi.STEP_COUNT, summary.stepCount()))
                .addAttributes(integer(GenAi.TOOL_CALL_COUNT, summary.toolCallCount()))
                .addAttributes(integer(GenAi.CHUNK_COUNT, summary.chunkCount()))
                .addAttributes(integer(GenAi.RESUME_COUNT, summary.resumeCount()))
                .addAttributes(integer(GenAi.GAP_COUNT, summary.gapCount()))
                .addAttributes(integer(GenAi.MISSING_POSITIONS, summary.missingPositions()));
        optional(span, GenAi.AGENT_ID, summary.agentId());
        optional(span, GenAi.CONVERSATION_ID, summary.conversationId());
        optional(span, GenAi.ERROR_TYPE, summary.errorType());
        if (summary.stopReason() != null) {
            span.addAttributes(KeyValue.newBuilder()
                    .setKey(GenAi.FINISH_REASONS)
                    .setValue(AnyValue.newBuilder()
                            .setArrayValue(ArrayValue.newBuilder()
                                    .addValues(AnyValue.newBuilder().setStringValue(summary.stopReason())))));
        }
        if (summary.timeToFirstContentMs() != null) {
            span.addAttributes(KeyValue.newBuilder()
                    .setKey(GenAi.TIME_TO_FIRST_CHUNK)
                    .setValue(AnyValue.newBuilder().setDoubleValue(summary.timeToFirstContentMs() / 1000.0)));
        }
        usage(span, summary);
        for (RunTrace.Event event : trace.events) {
            Span.Event.Builder e = Span.Event.newBuilder().setName(event.name()).setTimeUnixNano(orZero(event.at()));
            if (event.cause() != null) {
                e.addAttributes(string(GenAi.CAUSE, event.cause()));
            }
            if (event.missing() != null) {
                e.addAttributes(integer(GenAi.MISSING, event.missing()));
            }
            span.addEvents(e);
        }
        if (!FINE.contains(summary.status())) {
            span.setStatus(error("run " + summary.status()));
        }
        return span.build();
    }

    private static void usage(Span.Builder span, RunSummary summary) {
        span.addAttributes(integer(GenAi.INPUT_TOKENS, summary.inputTokens()))
                .addAttributes(integer(GenAi.OUTPUT_TOKENS, summary.outputTokens()));
        optional(span, GenAi.CACHE_READ_INPUT_TOKENS, summary.cachedInputTokens());
        optional(span, GenAi.CACHE_WRITE_INPUT_TOKENS, summary.cacheWriteTokens());
        optional(span, GenAi.REASONING_OUTPUT_TOKENS, summary.reasoningTokens());
    }

    private static Span.Builder child(ByteString traceId, ByteString parent, byte[] spanId) {
        return Span.newBuilder()
                .setTraceId(traceId)
                .setSpanId(ByteString.copyFrom(spanId))
                .setParentSpanId(parent);
    }

    private static void seconds(Span.Builder span, String key, Long from, Long to) {
        if (from != null && to != null) {
            span.addAttributes(KeyValue.newBuilder()
                    .setKey(key)
                    .setValue(AnyValue.newBuilder().setDoubleValue(Math.max(0, to - from) / 1e9)));
        }
    }

    private static void optional(Span.Builder span, String key, String value) {
        if (value != null) {
            span.addAttributes(string(key, value));
        }
    }

    private static void optional(Span.Builder span, String key, Long value) {
        if (value != null) {
            span.addAttributes(integer(key, value));
        }
    }

    private static Status error(String message) {
        return Status.newBuilder()
                .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                .setMessage(message)
                .build();
    }

    private static long orZero(Long nanos) {
        return nanos == null ? 0 : nanos;
    }

    private static KeyValue string(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }

    private static KeyValue integer(String key, long value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setIntValue(value))
                .build();
    }

    private static KeyValue bool(String key, boolean value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setBoolValue(value))
                .build();
    }
}
