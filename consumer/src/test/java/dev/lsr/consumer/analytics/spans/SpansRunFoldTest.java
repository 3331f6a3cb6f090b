package dev.lsr.consumer.analytics.spans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.RunSequencer;
import dev.lsr.consumer.reader.LogLocation;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.reader.internal.Decoded;
import dev.lsr.consumer.reader.internal.RecordDecoder;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.consumer.testing.SpanTrees;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The span trees of fixtures 02 and 03, and the fold's promise: one tree per run, however it is fed. */
class SpansRunFoldTest {

    private final SpansRunFold fold = new SpansRunFold();

    @Test
    void fixture02IsARunWithTwoChatStepsAndOneToolCall() throws Exception {
        ExportTraceServiceRequest tree = foldAtOnce(records("02-tool-call-two-steps"));
        assertEquals(
                List.of(
                        "invoke_agent agent-fixture",
                        "chat <- invoke_agent agent-fixture",
                        "chat <- invoke_agent agent-fixture",
                        "execute_tool web_search <- invoke_agent agent-fixture"),
                SpanTrees.shape(tree));
        List<Span> spans = SpanTrees.spans(tree);
        Span run = spans.get(0);
        assertEquals("invoke_agent", SpanTrees.string(run, GenAi.OPERATION_NAME).orElseThrow());
        assertEquals("agent-fixture", SpanTrees.string(run, GenAi.AGENT_ID).orElseThrow());
        assertEquals(
                "conv-fixture", SpanTrees.string(run, GenAi.CONVERSATION_ID).orElseThrow());
        assertEquals(4160, SpanTrees.integer(run, GenAi.INPUT_TOKENS).orElseThrow());
        assertEquals(85, SpanTrees.integer(run, GenAi.OUTPUT_TOKENS).orElseThrow());
        assertEquals(3328, SpanTrees.integer(run, GenAi.CACHE_READ_INPUT_TOKENS).orElseThrow());
        assertTrue(SpanTrees.number(run, GenAi.TIME_TO_FIRST_CHUNK).isPresent());
        assertEquals(Status.StatusCode.STATUS_CODE_UNSET, run.getStatus().getCode());
        assertEquals(
                "end_turn",
                SpanTrees.attribute(run, GenAi.FINISH_REASONS)
                        .orElseThrow()
                        .getValue()
                        .getArrayValue()
                        .getValues(0)
                        .getStringValue());

        Span first = spans.get(1);
        Span second = spans.get(2);
        Span tool = spans.get(3);
        assertTrue(SpanTrees.number(first, GenAi.TIME_TO_FIRST_CHUNK).isPresent(), "each step has its own TTFC");
        assertTrue(SpanTrees.integer(first, GenAi.INPUT_TOKENS).isEmpty(), "usage is per run when two steps");
        assertEquals("success", SpanTrees.string(tool, GenAi.TOOL_STATUS).orElseThrow());
        assertEquals(
                SpanTrees.string(first, GenAi.STEP_ID).orElseThrow(),
                SpanTrees.string(tool, GenAi.STEP_ID).orElseThrow(),
                "the tool was called by the first step");
        assertTrue(first.getEndTimeUnixNano() <= tool.getStartTimeUnixNano() + 1_000_000_000L);
        assertTrue(tool.getEndTimeUnixNano() <= second.getEndTimeUnixNano());
        assertTrue(run.getStartTimeUnixNano() <= first.getStartTimeUnixNano());
        assertTrue(second.getEndTimeUnixNano() <= run.getEndTimeUnixNano());
        for (Span span : spans) {
            assertEquals(run.getTraceId(), span.getTraceId());
            assertTrue(span.getStartTimeUnixNano() > 0 && span.getEndTimeUnixNano() >= span.getStartTimeUnixNano());
        }
    }

    @Test
    void fixture03IsOneStepWithTwoParallelApprovalRequests() throws Exception {
        ExportTraceServiceRequest tree = foldAtOnce(records("03-parallel-approvals"));
        assertEquals(
                List.of(
                        "invoke_agent agent-fixture",
                        "chat <- invoke_agent agent-fixture",
                        "execute_tool Read <- invoke_agent agent-fixture",
                        "execute_tool Bash <- invoke_agent agent-fixture"),
                SpanTrees.shape(tree));
        List<Span> spans = SpanTrees.spans(tree);
        assertTrue(SpanTrees.integer(spans.get(1), GenAi.INPUT_TOKENS).isPresent(), "one step: the run's usage");
        for (Span tool : spans.subList(2, 4)) {
            assertTrue(SpanTrees.attribute(tool, GenAi.APPROVAL_REQUESTED)
                    .orElseThrow()
                    .getValue()
                    .getBoolValue());
            assertEquals(
                    "not_returned", SpanTrees.string(tool, GenAi.TOOL_STATUS).orElseThrow());
        }
    }

    /** As the job does after a crash: every record its own transaction, the state saved and read back each time. */
    @Test
    void foldedRecordByRecordThroughSavedStateTheTreeIsWrittenOnceAndIsTheSame() throws Exception {
        List<ReplayEvent> records = records("02-tool-call-two-steps");
        byte[] once = foldAtOnce(records).toByteArray();
        List<byte[]> trees = new ArrayList<>();
        byte[] saved = null;
        String runId = records.getFirst().runId();
        for (ReplayEvent record : records) {
            RunTrace trace = saved == null ? fold.initial(runId) : fold.restoreState(runId, saved);
            trace = fold.apply(trace, record);
            saved = fold.saveState(trace); // the job stores the state first, then the value
            byte[] value = fold.value(trace);
            if (value.length > 0) {
                trees.add(value);
            }
        }
        assertEquals(1, trees.size(), "one tree per run");
        assertArrayEquals(once, trees.getFirst(), "the same tree, ids included");
        RunTrace after = fold.apply(fold.restoreState(runId, saved), records.getLast());
        assertEquals(0, fold.value(after).length, "a repeat after the end writes no second tree");
    }

    @Test
    void aRunThatHasNotEndedHasNoSpansYet() {
        List<ReplayEvent> records =
                decode(FixtureLog.of("02-tool-call-two-steps").unfinished().records());
        RunTrace trace = fold.initial(records.getFirst().runId());
        for (ReplayEvent record : records) {
            trace = fold.apply(trace, record);
        }
        assertEquals(0, fold.value(trace).length);
    }

    @Test
    void idsDependOnlyOnTheRun() throws Exception {
        ExportTraceServiceRequest a = foldAtOnce(records("03-parallel-approvals"));
        ExportTraceServiceRequest b = foldAtOnce(records("03-parallel-approvals"));
        assertEquals(a, b);
        assertEquals(16, SpanTrees.spans(a).getFirst().getTraceId().size());
        assertEquals(8, SpanTrees.spans(a).getFirst().getSpanId().size());
    }

    private ExportTraceServiceRequest foldAtOnce(List<ReplayEvent> records) throws Exception {
        RunTrace trace = fold.initial(records.getFirst().runId());
        for (ReplayEvent record : records) {
            trace = fold.apply(trace, record);
        }
        byte[] value = fold.value(trace);
        assertTrue(value.length > 0, "a finished run has its tree");
        return ExportTraceServiceRequest.parseFrom(value);
    }

    private static List<ReplayEvent> records(String fixture) {
        return decode(FixtureLog.of(fixture).records());
    }

    private static List<ReplayEvent> decode(List<ChunkLogRecord> records) {
        List<ReplayEvent> decoded = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (RecordDecoder.decode(records.get(i), LogLocation.kafka("t", 0, i)) instanceof Decoded.Readable r) {
                decoded.add(ReplayEvent.OfRecord.of(r.record(), RunSequencer.Verdict.DELIVER)); // as the job hands them
            }
        }
        return decoded;
    }
}
