package dev.lsr.viewer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RecordType;
import dev.lsr.consumer.projection.transcript.TranscriptMessage;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.viewer.testing.Replays;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunViewFoldTest {

    @Test
    void aToolCallRunHasALanePerStepAndPerCallAndItsFirstContentMarker() {
        RunView view = Replays.view(FixtureLog.of("02-tool-call-two-steps").records());

        List<Timeline.Lane> steps = view.timeline().lanes(Timeline.Lane.Kind.STEP);
        List<Timeline.Lane> tools = view.timeline().lanes(Timeline.Lane.Kind.TOOL);
        assertEquals(2, steps.size(), steps.toString());
        assertEquals("tool call", steps.get(0).detail());
        assertEquals("text", steps.get(1).detail());
        assertEquals(1, tools.size());
        Timeline.Lane call = tools.getFirst();
        assertEquals("web_search", call.label());
        assertEquals("ok", call.state());
        assertTrue(call.endMs() >= call.startMs() + 2000, "the tool ran about 2.3 s: " + call);
        Timeline.Marker ttfc =
                view.timeline().markers(Timeline.Marker.Kind.FIRST_CONTENT).getFirst();
        assertEquals((long) view.summary().timeToFirstContentMs(), ttfc.atMs());
        assertFalse(view.recording());
        assertTrue(view.transcript().messages().stream().anyMatch(m -> m instanceof TranscriptMessage.AssistantText));
    }

    @Test
    void parallelApprovalsAreTwoPendingToolLanes() {
        RunView view = Replays.view(FixtureLog.of("03-parallel-approvals").records());

        List<Timeline.Lane> tools = view.timeline().lanes(Timeline.Lane.Kind.TOOL);
        assertEquals(
                List.of("Read", "Bash"),
                tools.stream().map(Timeline.Lane::label).toList());
        assertTrue(tools.stream()
                .allMatch(l -> l.state().equals("pending") && l.detail().equals("awaiting approval")));
        assertTrue(tools.stream().allMatch(l -> l.endMs() == view.timeline().durationMs()));
    }

    @Test
    void aResumedRunHasItsResumeMarkerWhereTheSecondConnectionOpened() {
        RunView view = Replays.view(FixtureLog.of("07a-resume-initial-connection", "07b-resume-replay-after-150")
                .records());

        List<Timeline.Marker> resumes = view.timeline().markers(Timeline.Marker.Kind.RESUME);
        assertEquals(1, resumes.size());
        Timeline.Marker resume = resumes.getFirst();
        assertTrue(resume.label().contains("after seq 150"), resume.label());
        assertTrue(resume.atMs() > 0 && resume.atMs() < view.timeline().durationMs(), resume.toString());
        assertEquals(1, view.summary().resumeCount());
        assertEquals(1, view.timeline().lanes(Timeline.Lane.Kind.TOOL).size());
        assertEquals(2, view.timeline().lanes(Timeline.Lane.Kind.STEP).size());
    }

    @Test
    void cadenceCountsEveryDeliveredChunkButPings() {
        RunView view = Replays.view(FixtureLog.of("05-long-run-with-pings").records());

        int binned =
                view.cadence().bins().stream().mapToInt(Cadence.Bin::chunks).sum();
        // 381 stored chunks: the initial ping, seqs 2..380, stop_reason and usage; the ping is left out
        assertEquals(view.summary().chunkCount() - 1, binned);
        assertTrue(view.cadence().binMs() >= 1000);
        assertNotNull(view.cadence().p50Ms());
        assertNotNull(view.cadence().p99Ms());
    }

    @Test
    void aRunWithoutItsEndIsStillRecording() {
        RunView view = Replays.view(FixtureLog.of("01-simple-reply").unfinished().records().stream()
                .filter(r ->
                        !r.valueText().contains("stop_reason") && !r.valueText().contains("usage_statistics"))
                .toList());

        assertTrue(view.recording());
        assertEquals("running", view.summary().status());
        assertEquals(List.of(), view.problems(), "a run without its end is not a problem while it may be recorded");
    }

    /** A frame the recorder could not keep is listed among the run's problems, as every replay reports it. */
    @Test
    void aRejectedChunkIsAProblemOfTheRun() {
        List<ChunkLogRecord> records = new ArrayList<>();
        for (ChunkLogRecord record : FixtureLog.of("02-tool-call-two-steps").records()) {
            if (record.type() == RecordType.CHUNK && record.valueText().contains("\"tool_return_message\"")) {
                records.add(FixtureLog.recorderRecordAt(
                        record,
                        new LifecycleEvent.ChunkRejected("oversized", "over max.request.size", null, 2_000_000, "{")));
            } else {
                records.add(record);
            }
        }

        RunView view = Replays.view(records);

        assertEquals(1, view.problems().size(), view.problems().toString());
        assertTrue(
                view.problems().getFirst().startsWith("rejected chunk "),
                view.problems().toString());
    }

    @Test
    void gapsAreMarkedAtTheRecordAfterThem() {
        var records = FixtureLog.of("01-simple-reply").records().stream()
                .filter(r -> !r.valueText().contains("\"seq_id\":20,")
                        && !r.valueText().contains("\"seq_id\":21,"))
                .toList();
        RunView view = Replays.view(records);

        List<Timeline.Marker> gaps = view.timeline().markers(Timeline.Marker.Kind.GAP);
        assertEquals(1, gaps.size(), view.timeline().markers().toString());
        assertTrue(gaps.getFirst().label().contains("20"), gaps.getFirst().label());
        assertEquals(1, view.summary().gapCount());
    }

    @Test
    void timesAreMillisecondsAfterTheRunsStart() {
        RunView view = Replays.view(FixtureLog.of("02-tool-call-two-steps")
                .shiftedBy(Duration.ofDays(3))
                .records());

        assertEquals(view.summary().startedAt(), view.timeline().start());
        assertEquals(
                Duration.between(view.summary().startedAt(), view.summary().finishedAt())
                        .toMillis(),
                view.timeline().durationMs());
    }
}
