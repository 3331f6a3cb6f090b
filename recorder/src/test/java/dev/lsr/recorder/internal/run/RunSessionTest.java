package dev.lsr.recorder.internal.run;

import static dev.lsr.recorder.testing.RecordingAppender.value;
import static dev.lsr.recorder.testing.SessionHarness.expectedChunks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.RunState;
import dev.lsr.recorder.RunOutcome;
import dev.lsr.recorder.internal.drain.AppenderClosedException;
import dev.lsr.recorder.testing.FakeLetta;
import dev.lsr.recorder.testing.FakeLetta.Step;
import dev.lsr.recorder.testing.ScriptedStream.Ending;
import dev.lsr.recorder.testing.SessionHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RunSessionTest {

    private final SessionHarness harness = new SessionHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @ParameterizedTest
    @CsvSource({
        "01-simple-reply,completed",
        "02-tool-call-two-steps,completed",
        "03-parallel-approvals,completed",
        "04-error-mid-run,failed",
        "05-long-run-with-pings,completed",
        "06-cancelled-mid-way,cancelled"
    })
    void anUninterruptedRunIsRecordedVerbatimBetweenAttachedAndFinished(String fixture, String status) {
        String runId = harness.letta.serve(fixture, status);

        RunOutcome outcome = RunSession.fresh(harness.context(), runId, FakeLetta.run(runId, "running"), "attach")
                .drain();

        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind());
        assertEquals(expectedChunks(fixture), harness.log.chunks(runId));
        List<RecordType> types = harness.log.types(runId);
        assertEquals(RecordType.RUN_ATTACHED, types.getFirst());
        assertEquals(RecordType.RUN_FINISHED, types.getLast());
        assertEquals(types.size() - 2, harness.log.chunks(runId).size(), "nothing but chunks in between");
        LifecycleEvent.RunFinished finished =
                value(harness.log.records(runId).getLast(), LifecycleEvent.RunFinished.class);
        assertEquals(status, finished.status());
        assertEquals(RunState.FINISHED, harness.log.all().getLast().stateAfter());
        assertPositionsStrictlyIncrease(runId);
    }

    @Test
    void stopReasonOfTheFinishedRecordIsTheLastOneSeen() {
        String runId = harness.letta.serve("04-error-mid-run", "failed");
        RunSession.fresh(harness.context(), runId, null, "attach").drain();
        LifecycleEvent.RunFinished finished =
                value(harness.log.records(runId).getLast(), LifecycleEvent.RunFinished.class);
        assertEquals("llm_api_error", finished.stopReason());
    }

    /** The error endings are per-connection error frames (Cloud's deploy interruption, the legacy writer's) while the run is active. */
    @ParameterizedTest
    @ValueSource(strings = {"EOF", "IO_ERROR", "HANG", "CLOUD_ERROR", "CLOUD_ERROR_NO_SEQ", "LEGACY_ERROR"})
    void aDisconnectAtEveryFramePositionOf05YieldsTheUninterruptedLog(String ending) {
        List<String> expected = expectedChunks("05-long-run-with-pings");
        int frames = 386;
        int step = ending.equals("HANG") ? 37 : 1;
        for (int cut = 0; cut <= frames; cut += step) {
            try (SessionHarness h = new SessionHarness()) {
                String runId = h.letta.serve("05-long-run-with-pings", "completed");
                h.letta.then(runId, new Step.Cut(cut, Ending.valueOf(ending)));

                RunOutcome outcome =
                        RunSession.fresh(h.context(), runId, null, "attach").drain();

                assertEquals(RunOutcome.Kind.FINISHED, outcome.kind(), "cut " + cut);
                assertEquals(expected, h.log.chunks(runId), "cut " + cut);
                // the harness's watchdog runs on real time (300 ms): a loaded machine may add a stall resume
                List<ChunkLogRecord> resumed = h.log.ofType(runId, RecordType.RUN_RESUMED);
                LifecycleEvent.RunResumed value = value(resumed.getFirst(), LifecycleEvent.RunResumed.class);
                assertEquals(
                        resumed.getFirst().position().seq(),
                        value.startingAfter(),
                        "resumes after the last appended seq");
                String cause = ending.equals("HANG")
                        ? "stall"
                        : ending.contains("ERROR") && !ending.equals("IO_ERROR") ? "error_frame" : ending.toLowerCase();
                // on a loaded machine the watchdog may cut the connection before the scripted cut is reached: the
                // first resume is then a stall, and the scripted ending may never be served
                boolean stalledFirst = "stall"
                        .equals(value(resumed.getFirst(), LifecycleEvent.RunResumed.class)
                                .cause());
                assertTrue(
                        stalledFirst
                                || resumed.stream()
                                        .anyMatch(r -> cause.equals(value(r, LifecycleEvent.RunResumed.class)
                                                .cause())),
                        "cut " + cut + ": a resume for " + cause);
                LifecycleEvent.RunFinished finished =
                        value(h.log.records(runId).getLast(), LifecycleEvent.RunFinished.class);
                assertEquals(
                        "completed", finished.status(), "cut " + cut + ": not finished while the server said running");
            }
        }
    }

    @Test
    void aResumeStartsAfterTheLastAppendedSeqAndDropsTheReplayedTail() {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        harness.letta.then(runId, new Step.Cut(61, Ending.EOF));

        RunSession.fresh(harness.context(), runId, null, "attach").drain();

        assertTrue(
                harness.letta.requests().contains("STREAM " + runId + " after 60"),
                harness.letta.requests().toString());
        assertEquals(expectedChunks("01-simple-reply"), harness.log.chunks(runId));
        ChunkLogRecord usage = harness.log.ofType(runId, RecordType.CHUNK).getLast();
        assertEquals(new Position(60, 2), usage.position());
    }

    @ParameterizedTest
    @CsvSource({
        "410,RUN_EXPIRED,EXPIRED,EXPIRED",
        "404,RUN_GONE,GONE,GONE",
        "400,RUN_NOT_RESUMABLE,NOT_RESUMABLE,NOT_RESUMABLE"
    })
    void aRefusedResumeEndsTheRunWithItsRecord(int status, RecordType type, RunState state, RunOutcome.Kind kind) {
        String runId = harness.letta.serve("05-long-run-with-pings", "completed");
        // 404 and 400 end a run only when the Run GET agrees: the run deleted, or not in background mode
        Step refusal = status == 404 ? new Step.Gone("nope") : new Step.Http(status, "nope", null);
        if (status == 400) {
            harness.letta.foreground(runId);
        }
        harness.letta.then(runId, new Step.Cut(100, Ending.EOF)).then(runId, refusal);

        RunOutcome outcome =
                RunSession.fresh(harness.context(), runId, null, "attach").drain();

        assertEquals(kind, outcome.kind());
        ChunkLogRecord last = harness.log.records(runId).getLast();
        assertEquals(type, last.type());
        assertEquals(state, harness.log.all().getLast().stateAfter());
        LifecycleEvent.RunRefused refused = value(last, LifecycleEvent.RunRefused.class);
        assertEquals(status, refused.statusCode());
        assertEquals("nope", refused.detail());
        assertEquals(expectedChunks("05-long-run-with-pings", 100), harness.log.chunks(runId));
    }

    @ParameterizedTest
    @CsvSource({"410,expired", "404,gone"})
    void aResumeRefusedForGoodAfterFramesRecordsAGapToTheEndBeforeTheRefusal(int status, String cause) {
        String runId = harness.letta.serve("05-long-run-with-pings", "completed");
        Step refusal = status == 404 ? new Step.Gone("gone") : new Step.Http(status, "expired", null);
        harness.letta.then(runId, new Step.Cut(100, Ending.EOF)).then(runId, refusal);

        RunSession.fresh(harness.context(), runId, null, "attach").drain();

        List<ChunkLogRecord> records = harness.log.records(runId);
        assertEquals(
                List.of(RecordType.RUN_GAP, status == 404 ? RecordType.RUN_GONE : RecordType.RUN_EXPIRED),
                records.subList(records.size() - 2, records.size()).stream()
                        .map(ChunkLogRecord::type)
                        .toList());
        Position last = harness.log.ofType(runId, RecordType.CHUNK).getLast().position();
        assertEquals(
                new LifecycleEvent.RunGap(last.nextNumber(), null, cause),
                value(records.get(records.size() - 2), LifecycleEvent.RunGap.class));
    }

    @ParameterizedTest
    @CsvSource({"404", "400"})
    void aResumeRefusedWhileTheRunGetStillHasTheRunIsRetried(int status) {
        String runId = harness.letta.serve("05-long-run-with-pings", "completed");
        harness.letta.then(runId, new Step.Cut(100, Ending.EOF)).then(runId, new Step.Http(status, "proxy", null));

        RunOutcome outcome =
                RunSession.fresh(harness.context(), runId, null, "attach").drain();

        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind());
        assertEquals(expectedChunks("05-long-run-with-pings"), harness.log.chunks(runId));
    }

    @Test
    void aRunRefusedAtFirstContactHasOnlyItsRefusal() {
        String runId = harness.letta.serve("06-cancelled-mid-way", "cancelled");
        harness.letta.foreground(runId);
        harness.letta.then(runId, new Step.Http(400, "Run was not created in background mode", null));

        RunSession.fresh(harness.context(), runId, null, "watch").drain();

        assertEquals(List.of(RecordType.RUN_NOT_RESUMABLE), harness.log.types(runId));
        assertEquals(Position.START, harness.log.records(runId).getFirst().position());
    }

    @Test
    void throttlingIsRetriedHonouringRetryAfterAndTheResumeNamesIt() {
        String runId = harness.letta.serve("02-tool-call-two-steps", "completed");
        harness.letta
                .then(runId, new Step.Cut(10, Ending.IO_ERROR))
                .then(runId, new Step.Http(429, "slow down", Duration.ofSeconds(3)))
                .then(runId, new Step.Http(503, null, null));

        RunOutcome outcome =
                RunSession.fresh(harness.context(), runId, null, "attach").drain();

        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind());
        assertEquals(expectedChunks("02-tool-call-two-steps"), harness.log.chunks(runId));
        LifecycleEvent.RunResumed resumed =
                value(harness.log.ofType(runId, RecordType.RUN_RESUMED).getFirst(), LifecycleEvent.RunResumed.class);
        assertEquals(3, resumed.attempt());
        assertEquals("http_503", resumed.cause());
        assertTrue(
                harness.sleeps.contains(Duration.ofSeconds(3)), "waited the server's Retry-After: " + harness.sleeps);
    }

    /**
     * A run whose stream cannot be opened for a while (Letta away: the outage itself is logged once by the API) says
     * so once, at its first failed attempt; the rest of the streak is DEBUG, and the resume line says how many
     * attempts it took. Before, each attempt of each run was an INFO line: 1,000 active runs retrying through an
     * outage wrote about 120,000 lines an hour.
     */
    @Test
    void aStreakOfFailedOpensIsLoggedOnceAtInfo() {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        for (int i = 0; i < 12; i++) {
            harness.letta.then(runId, new Step.Refused());
        }
        try (dev.lsr.recorder.testing.LogCapture logs = dev.lsr.recorder.testing.LogCapture.capture()) {
            RunSession.fresh(harness.context(), runId, null, "attach").drain();

            List<ch.qos.logback.classic.spi.ILoggingEvent> failedOpens = logs.events().stream()
                    .filter(e -> e.getFormattedMessage().contains("could not connect"))
                    .toList();
            assertEquals(12, failedOpens.size(), "every attempt is logged");
            assertEquals(
                    1,
                    failedOpens.stream()
                            .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.INFO)
                            .count(),
                    "the first at INFO, the rest at DEBUG");
        }
        assertEquals(expectedChunks("01-simple-reply"), harness.log.chunks(runId));
    }

    /**
     * A stream opened while the log takes no record (a broker outage: the run's announcement waits for the
     * partition's budget) is cancelled by the stall watchdog, as a quiet stream is: nothing reads it meanwhile. Before,
     * the watch began only after the announcement, so each run attached during an outage held its Letta stream, its
     * socket and Letta's reader, open and unread for the whole outage. The run is recorded whole once the log takes it.
     */
    @Test
    void aStreamWhoseAnnouncementWaitsForTheLogIsCancelledByTheWatchdog() throws Exception {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        java.util.concurrent.CountDownLatch cancelled = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicBoolean cancelledWhileWaiting =
                new java.util.concurrent.atomic.AtomicBoolean();
        dev.lsr.recorder.internal.drain.RunAppender waitingAtFirst = (record, stateAfter) -> {
            if (first.getAndSet(false)) {
                try {
                    cancelledWhileWaiting.set(cancelled.await(5, java.util.concurrent.TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            harness.log.append(record, stateAfter);
        };
        var letta = new dev.lsr.recorder.testing.ObservedLetta(harness.letta, frame -> {}, cancelled::countDown);

        RunOutcome outcome = RunSession.fresh(harness.context(letta, waitingAtFirst), runId, null, "attach")
                .drain();

        assertTrue(cancelledWhileWaiting.get(), "the stream was cancelled while the announcement waited");
        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind());
        assertEquals(expectedChunks("01-simple-reply"), harness.log.chunks(runId));
    }

    @Test
    void backoffGrowsWhileAttemptsFailAndNeverExceedsTheCap() {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        for (int i = 0; i < 12; i++) {
            harness.letta.then(runId, new Step.Refused());
        }
        RunSession.fresh(harness.context(), runId, null, "attach").drain();
        assertEquals(12, harness.sleeps.size());
        assertTrue(harness.sleeps.get(3).compareTo(harness.sleeps.get(0)) > 0, harness.sleeps.toString());
        assertTrue(harness.sleeps.stream().allMatch(d -> d.compareTo(Duration.ofSeconds(10)) <= 0));
        assertEquals(expectedChunks("01-simple-reply"), harness.log.chunks(runId));
    }

    /**
     * Every connection ends right after the stop_reason, without [DONE], while Letta says running: the run is
     * abandoned, with the stop_reason its connections showed (no [DONE] ever confirmed it).
     */
    @Test
    void aRunAbandonedAfterItsConnectionsShowedItsStopReasonKeepsIt() {
        try (SessionHarness h =
                new SessionHarness(Duration.ofMinutes(5), Duration.ofMillis(300), Duration.ofMillis(200))) {
            String runId = h.letta.serve("05-long-run-with-pings", "completed");
            // chunk 385 is the stop_reason, 386 the usage
            h.letta.then(runId, new Step.Cut(385, Ending.EOF)).thenAlways(runId, new Step.Cut(1, Ending.EOF));

            RunOutcome outcome =
                    RunSession.fresh(h.context(), runId, null, "attach").drain();

            assertEquals(RunOutcome.Kind.ABANDONED, outcome.kind());
            assertEquals(expectedChunks("05-long-run-with-pings", 385), h.log.chunks(runId), "the stop_reason kept");
            assertEquals(
                    RecordType.RUN_ABANDONED, h.log.records(runId).getLast().type());
        }
    }

    @Test
    void aRunWithoutProgressWhileTheServerSaysRunningIsAbandoned() {
        try (SessionHarness h =
                new SessionHarness(Duration.ofMinutes(5), Duration.ofMillis(300), Duration.ofMillis(200))) {
            String runId = h.letta.serve("05-long-run-with-pings", "completed");
            h.letta.then(runId, new Step.Cut(50, Ending.EOF)).thenAlways(runId, new Step.Cut(0, Ending.EOF));

            RunOutcome outcome =
                    RunSession.fresh(h.context(), runId, null, "attach").drain();

            assertEquals(RunOutcome.Kind.ABANDONED, outcome.kind());
            ChunkLogRecord last = h.log.records(runId).getLast();
            LifecycleEvent.RunAbandoned abandoned = value(last, LifecycleEvent.RunAbandoned.class);
            assertEquals("running", abandoned.serverStatus());
            assertTrue(abandoned.waitedMillis() >= Duration.ofMinutes(5).toMillis());
            assertEquals(RunState.ABANDONED, h.log.all().getLast().stateAfter());
            assertEquals(expectedChunks("05-long-run-with-pings", 50), h.log.chunks(runId));
        }
    }

    @Test
    void anEndedRunWhoseStreamHasNothingMoreIsFinishedAfterTwoEmptyConnections() {
        String runId = harness.letta.serve("05-long-run-with-pings", "completed");
        harness.letta.status(runId, "completed");
        harness.letta
                .then(runId, new Step.Cut(200, Ending.EOF))
                .then(runId, new Step.Cut(0, Ending.HANG))
                .then(runId, new Step.Cut(0, Ending.EOF));

        RunOutcome outcome =
                RunSession.fresh(harness.context(), runId, null, "attach").drain();

        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind());
        assertEquals(expectedChunks("05-long-run-with-pings", 200), harness.log.chunks(runId));
        List<ChunkLogRecord> records = harness.log.records(runId);
        LifecycleEvent.RunFinished finished = value(records.getLast(), LifecycleEvent.RunFinished.class);
        assertEquals("completed", finished.status());
        assertNull(finished.stopReason(), "no stop_reason was seen");
        Position last = harness.log.ofType(runId, RecordType.CHUNK).getLast().position();
        assertEquals(
                new LifecycleEvent.RunGap(last.nextNumber(), null, "unread"),
                value(records.get(records.size() - 2), LifecycleEvent.RunGap.class),
                "the run's end was never read: what Letta stored after the last chunk is not in the log");
        assertEquals(
                3,
                harness.letta.requests().stream()
                        .filter(r -> r.startsWith("STREAM"))
                        .count());
    }

    /**
     * A stored error after a {@code stop_reason} is the run's end (Letta's error-final sequence), even while the server
     * still reports the run active: the empty connections after it finish the run with nothing missing.
     */
    @Test
    void aRunWhoseStoredErrorWasReadIsFinishedWithoutAGapAfterEmptyConnections() {
        String runId = harness.letta.serve("04-error-mid-run", "failed");
        harness.letta.status(runId, "running");
        harness.letta
                .then(runId, new Step.Cut(Integer.MAX_VALUE, Ending.EOF))
                .then(runId, new Step.Cut(0, Ending.EOF))
                .then(runId, new Step.Status("failed", new Step.Cut(0, Ending.EOF)));

        RunOutcome outcome =
                RunSession.fresh(harness.context(), runId, null, "attach").drain();

        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind());
        assertEquals(expectedChunks("04-error-mid-run"), harness.log.chunks(runId), "the whole run");
        assertEquals(List.of(), harness.log.ofType(runId, RecordType.RUN_GAP), "nothing is missing");
    }

    /** "Two in a row": a connection cut by an I/O error between two empty ones starts the count again. */
    @Test
    void anEndedRunIsNotFinishedByTwoEmptyConnectionsWithACutBetweenThem() {
        String runId = harness.letta.serve("05-long-run-with-pings", "completed");
        harness.letta.status(runId, "completed");
        harness.letta
                .then(runId, new Step.Cut(200, Ending.EOF))
                .then(runId, new Step.Cut(0, Ending.EOF))
                .then(runId, new Step.Cut(0, Ending.IO_ERROR))
                .then(runId, new Step.Cut(0, Ending.EOF));

        RunOutcome outcome =
                RunSession.fresh(harness.context(), runId, null, "attach").drain();

        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind());
        assertEquals(expectedChunks("05-long-run-with-pings"), harness.log.chunks(runId), "the whole run");
    }

    @Test
    void aRunKnownToHaveEndedIsNotFinishedByAFirstConnectionCutBeforeItsFirstFrame() {
        String runId = harness.letta.serve("02-tool-call-two-steps", "completed");
        harness.letta.status(runId, "completed");
        harness.letta.then(runId, new Step.Cut(0, Ending.IO_ERROR));

        RunOutcome outcome = RunSession.fresh(harness.context(), runId, FakeLetta.run(runId, "completed"), "catch_up")
                .drain();

        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind());
        assertEquals(expectedChunks("02-tool-call-two-steps"), harness.log.chunks(runId));
    }

    @Test
    void aStreamThatHangsAfterItsStopReasonIsResumedAfterTheGraceAndCompleted() {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        harness.letta.then(runId, new Step.Cut(61, Ending.HANG));

        RunOutcome outcome =
                RunSession.fresh(harness.context(), runId, null, "attach").drain();

        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind());
        assertEquals(expectedChunks("01-simple-reply"), harness.log.chunks(runId));
        LifecycleEvent.RunResumed resumed =
                value(harness.log.ofType(runId, RecordType.RUN_RESUMED).getFirst(), LifecycleEvent.RunResumed.class);
        assertEquals("stall", resumed.cause());
    }

    @Test
    void aRestoredRunResumesFromItsCheckpointWithoutAttachingAgain() {
        String runId = harness.letta.serve("05-long-run-with-pings", "completed");

        RunSession.restored(harness.context(), runId, "agent-1", "conv-1", Position.ofSeq(150))
                .drain();

        List<RecordType> types = harness.log.types(runId);
        assertEquals(RecordType.RUN_RESUMED, types.getFirst());
        LifecycleEvent.RunResumed resumed =
                value(harness.log.records(runId).getFirst(), LifecycleEvent.RunResumed.class);
        assertEquals(150, resumed.startingAfter());
        assertEquals("restart", resumed.cause());
        List<String> expected = expectedChunks("05-long-run-with-pings");
        assertEquals(expected.subList(expected.size() - 232, expected.size()), harness.log.chunks(runId));
        assertEquals("agent-1", harness.log.records(runId).get(1).envelope().agentId());
    }

    @Test
    void aRestoredRunOpensItsStreamWithoutAskingTheServerFirst() {
        String runId = harness.letta.serve("05-long-run-with-pings", "completed");

        RunSession.restored(harness.context(), runId, "agent-1", "conv-1", Position.ofSeq(150))
                .drain();

        // one request per restored run at a restart, not two: the Run GET comes once the stream has ended
        assertEquals(List.of("STREAM " + runId + " after 150", "GET " + runId), harness.letta.requests());
    }

    @Test
    void aRestoredRunThatEndedWhileNobodyRecordedAndBringsOnlyPingsFinishesAfterTheStallTimeout() {
        String runId = harness.letta.serve("04-error-mid-run", "failed");
        harness.letta.status(runId, "failed");
        harness.letta.thenAlways(runId, new Step.Cut(0, Ending.PINGS));

        // not the abandon time (30 minutes here): the server is asked after the stall timeout of pings only
        RunOutcome outcome = assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> RunSession.restored(harness.context(), runId, null, null, Position.ofSeq(29))
                        .drain());

        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind());
        assertEquals(
                "failed",
                value(harness.log.records(runId).getLast(), LifecycleEvent.RunFinished.class)
                        .status());
    }

    /**
     * The recorder before this one appended the run's stored error (seq 29, its last frame) and stopped before the
     * run's end: this one cannot tell that from a stream Letta lost after seq 29, so the run ends with a gap that
     * may be empty, never with a tail missing in silence.
     */
    @Test
    void aRestoredRunThatEndedWithItsLastChunkFinishesAfterTwoEmptyResumes() {
        String runId = harness.letta.serve("04-error-mid-run", "failed");
        harness.letta.status(runId, "failed");

        RunOutcome outcome = RunSession.restored(harness.context(), runId, null, null, Position.ofSeq(29))
                .drain();

        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind());
        assertEquals(
                List.of(RecordType.RUN_RESUMED, RecordType.RUN_RESUMED, RecordType.RUN_GAP, RecordType.RUN_FINISHED),
                harness.log.types(runId));
        assertEquals(
                new LifecycleEvent.RunGap(30, null, "unread"),
                value(harness.log.ofType(runId, RecordType.RUN_GAP).getFirst(), LifecycleEvent.RunGap.class));
        assertEquals(
                2,
                harness.letta.requests().stream()
                        .filter(r -> r.startsWith("STREAM"))
                        .count());
        assertEquals(
                "failed",
                value(harness.log.records(runId).getLast(), LifecycleEvent.RunFinished.class)
                        .status());
    }

    @Test
    void rejectedCredentialsStopTheRecorder() {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        harness.letta.then(runId, new Step.Http(401, "bad key", null));
        CredentialsRejectedException failure = assertThrows(
                CredentialsRejectedException.class,
                () -> RunSession.fresh(harness.context(), runId, null, "attach").drain());
        assertTrue(failure.getMessage().contains("401"));
    }

    @Test
    void aClosedLogStopsTheSessionAtOnce() {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        harness.log.close(true);
        AppenderClosedException closed = assertThrows(
                AppenderClosedException.class,
                () -> RunSession.fresh(harness.context(), runId, null, "attach").drain());
        assertTrue(closed.fenced());
    }

    @Test
    void aStoppingRecorderLeavesTheRunActive() {
        String runId = harness.letta.serve("05-long-run-with-pings", "completed");
        harness.letta.then(runId, new Step.Cut(20, Ending.HANG));
        Thread stopper = Thread.ofVirtual().start(() -> {
            while (harness.log.chunks(runId).size() < 20) {
                Thread.onSpinWait();
            }
            harness.stopping.set(true);
        });
        RunOutcome outcome =
                RunSession.fresh(harness.context(), runId, null, "attach").drain();
        stopper.interrupt();
        assertEquals(RunOutcome.Kind.INTERRUPTED, outcome.kind());
        assertEquals(RunState.ACTIVE, harness.log.all().getLast().stateAfter());
        assertTrue(harness.log.types(runId).stream().noneMatch(RecordType::isTerminal));
    }

    private void assertPositionsStrictlyIncrease(String runId) {
        Position previous = null;
        for (ChunkLogRecord record : harness.log.ofType(runId, RecordType.CHUNK)) {
            assertTrue(
                    previous == null || record.position().isAfter(previous), record.position() + " after " + previous);
            assertEquals(runId + "/" + record.position(), record.envelope().id());
            previous = record.position();
        }
    }
}
