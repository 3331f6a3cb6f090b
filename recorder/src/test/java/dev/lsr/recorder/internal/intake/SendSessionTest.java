package dev.lsr.recorder.internal.intake;

import static dev.lsr.recorder.testing.RecordingAppender.value;
import static dev.lsr.recorder.testing.SessionHarness.expectedChunks;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RecordType;
import dev.lsr.recorder.RunOutcome;
import dev.lsr.recorder.SendMessage;
import dev.lsr.recorder.internal.letta.LettaHttpException;
import dev.lsr.recorder.internal.letta.Run;
import dev.lsr.recorder.internal.run.SessionContext;
import dev.lsr.recorder.log.PartitionLostException;
import dev.lsr.recorder.testing.FakeLetta;
import dev.lsr.recorder.testing.ScriptedStream;
import dev.lsr.recorder.testing.SessionHarness;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SendSessionTest {

    private static final String FIXTURE = "02-tool-call-two-steps";
    private final SessionHarness harness = new SessionHarness();
    private final List<dev.lsr.recorder.RecorderFailure> fatal = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final RunRegistry registry = new RunRegistry(harness.context(), CheckpointLookup.EMPTY, fatal::add);
    private final String runId = harness.letta.serve(FIXTURE, "completed");
    private final SendMessage message = new SendMessage(null, "conv-1", "hello", "otid-1");

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void theSendResponseIsRecordedAsTheRunsFirstConnection() throws Exception {
        harness.letta.onSend(
                m -> ScriptedStream.whole(harness.letta.stored(runId).liveBody()));

        RunOutcome outcome = send();

        assertEquals(new RunOutcome(runId, RunOutcome.Kind.FINISHED, "end_turn"), outcome);
        assertEquals(expectedChunks(FIXTURE), harness.log.chunks(runId));
        LifecycleEvent.RunAttached attached =
                value(harness.log.records(runId).getFirst(), LifecycleEvent.RunAttached.class);
        assertEquals("send", attached.mode());
        assertEquals(RecordType.RUN_FINISHED, harness.log.types(runId).getLast());
        assertTrue(harness.letta.requests().stream().noneMatch(r -> r.startsWith("STREAM")), "no resume was needed");
    }

    /**
     * A send whose answer names a run Letta says ended before the log's window (its clock hours apart from ours) is
     * left alone as every intake leaves it: nothing appended, the outcome says why, not a failed recording retried.
     */
    @Test
    void aSendNamingARunThatEndedBeforeTheWindowIsLeftAlone() throws Exception {
        harness.letta.status(runId, "completed"); // created at 17:32 by FakeLetta's Run objects
        harness.clock.advance(java.time.Duration.ofHours(5));
        harness.letta.onSend(
                m -> ScriptedStream.whole(harness.letta.stored(runId).liveBody()));
        RunRegistry forgetting = new RunRegistry(
                harness.context(),
                CheckpointLookup.forgettingAfter(java.time.Duration.ofHours(4), CheckpointLookup.EMPTY),
                fatal::add);

        RunOutcome outcome = forgetting.send(message).get(10, java.util.concurrent.TimeUnit.SECONDS);

        assertEquals(RunOutcome.Kind.ENDED_LONG_AGO, outcome.kind(), outcome.toString());
        assertEquals(List.of(), harness.log.types(runId));
    }

    /** A send whose run's partition leaves between the ownership check and the claim hands the run to the fleet. */
    @Test
    void aSendWhoseRunsPartitionLeavesRightAfterTheOwnershipCheckHandsTheRunToTheFleet() throws Exception {
        harness.letta.onSend(
                m -> ScriptedStream.whole(harness.letta.stored(runId).liveBody()));
        FleetRouter fleet = FleetRouter.owningAll();
        RunRegistry member = fleet.registry(harness.context(), fatal::add, java.time.Duration.ofSeconds(1));
        fleet.leavesAfterNextAnswer.set(true);

        RunOutcome outcome = member.send(message).get(10, TimeUnit.SECONDS);

        assertEquals(RunOutcome.Kind.FORWARDED, outcome.kind(), outcome.toString());
        assertEquals(List.of(), harness.log.types(runId), "nothing recorded here");
        assertEquals(List.of(runId + " send"), fleet.offers);
    }

    @Test
    void aSendResponseCutAfterTheRunIdIsResumedByRunId() throws Exception {
        harness.letta.onSend(m -> new ScriptedStream(
                harness.letta.stored(runId).liveBody(), 12, ScriptedStream.Ending.IO_ERROR, n -> {}));

        RunOutcome outcome = send();

        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind());
        assertEquals(expectedChunks(FIXTURE), harness.log.chunks(runId));
        assertTrue(
                harness.letta.requests().contains("STREAM " + runId + " after 12"),
                harness.letta.requests().toString());
        assertEquals(List.of(RecordType.RUN_ATTACHED), harness.log.types(runId).subList(0, 1));
        assertEquals(1, harness.log.ofType(runId, RecordType.RUN_RESUMED).size());
    }

    @Test
    void aSendCutAfterItsRunIdOfARunAlreadyEndedIsStillResumed() throws Exception {
        harness.letta.status(runId, "completed");
        harness.letta.onSend(m ->
                new ScriptedStream(harness.letta.stored(runId).liveBody(), 7, ScriptedStream.Ending.IO_ERROR, n -> {}));

        RunOutcome outcome = send();

        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind());
        assertEquals(expectedChunks(FIXTURE), harness.log.chunks(runId));
    }

    @Test
    void aSendWithoutResponseIsRecoveredByItsOtid() throws Exception {
        harness.letta.onSend(m -> {
            throw new IOException("connection reset before the response");
        });
        harness.letta.onStreamByOtid(
                m -> ScriptedStream.whole(harness.letta.stored(runId).liveBody()));

        RunOutcome outcome = send();

        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind());
        assertEquals(expectedChunks(FIXTURE), harness.log.chunks(runId));
        assertTrue(harness.letta.requests().contains("OTID otid-1"));
        assertEquals(
                1,
                harness.letta.requests().stream()
                        .filter(r -> r.startsWith("SEND"))
                        .count(),
                "sent once only");
    }

    /**
     * A send response that shows no run id for more frames than are held (a server that names its run late, or
     * never) is not drained on with frames thrown away: the connection ends, and the run is found by its otid,
     * whose stream replays what Letta stored.
     */
    @Test
    void aSendResponseThatNamesItsRunTooLateIsRecoveredByItsOtid() throws Exception {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (int i = 0; i <= UnboundStream.MAX_HELD; i++) {
            body.writeBytes("data: {\"message_type\":\"reasoning_message\",\"reasoning\":\"x\"}\n\n".getBytes(UTF_8));
        }
        body.writeBytes(harness.letta.stored(runId).liveBody());
        harness.letta.onSend(m -> ScriptedStream.whole(body.toByteArray()));
        harness.letta.onStreamByOtid(
                m -> ScriptedStream.whole(harness.letta.stored(runId).liveBody()));

        RunOutcome outcome = send();

        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind());
        assertEquals(expectedChunks(FIXTURE), harness.log.chunks(runId));
        assertTrue(
                harness.letta.requests().contains("OTID otid-1"),
                harness.letta.requests().toString());
    }

    /**
     * A proxy that stops waiting for the send's response headers (Letta sends them with the first frame)
     * answers 504 although Letta may have accepted the message and started its run: the run is looked for, as
     * after a send without a response, not given up as refused.
     */
    @Test
    void aSendAProxyTimedOutIsRecoveredByItsOtid() throws Exception {
        harness.letta.onSend(m -> {
            throw new dev.lsr.recorder.internal.letta.LettaHttpException(
                    "POST /v1/conversations/default/messages", 504, null, null, null);
        });
        harness.letta.onStreamByOtid(
                m -> ScriptedStream.whole(harness.letta.stored(runId).liveBody()));

        RunOutcome outcome = send();

        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind(), "outcome " + outcome);
        assertEquals(expectedChunks(FIXTURE), harness.log.chunks(runId));
        assertTrue(harness.letta.requests().contains("OTID otid-1"));
    }

    /**
     * A gateway's 502 (or Letta's own 500) does not say the message was refused: Letta may have accepted it and
     * started its run before the answer was lost. The run is looked for by its otid, as after a 504.
     */
    @Test
    void aSendAnsweredWithAServerErrorIsRecoveredByItsOtid() throws Exception {
        harness.letta.onSend(m -> {
            throw new dev.lsr.recorder.internal.letta.LettaHttpException(
                    "POST /v1/conversations/default/messages", 502, "Bad Gateway", null, null);
        });
        harness.letta.onStreamByOtid(
                m -> ScriptedStream.whole(harness.letta.stored(runId).liveBody()));

        RunOutcome outcome = send();

        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind(), "outcome " + outcome);
        assertEquals(expectedChunks(FIXTURE), harness.log.chunks(runId));
        assertTrue(harness.letta.requests().contains("OTID otid-1"));
    }

    @Test
    void aStreamThatEndsBeforeNamingItsRunFallsBackToRunDiscovery() throws Exception {
        harness.letta.onSend(
                m -> new ScriptedStream(harness.letta.stored(runId).liveBody(), 0, ScriptedStream.Ending.EOF, n -> {}));
        harness.letta.onList(query ->
                List.of(runCreated(runId, harness.clock.instant().plusSeconds(1).toString())));

        RunOutcome outcome = send();

        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind());
        assertEquals(expectedChunks(FIXTURE), harness.log.chunks(runId));
        assertTrue(harness.letta.requests().stream().anyMatch(r -> r.startsWith("LIST")));
    }

    /** Discovery compares Letta's created_at with the send's time in Letta's time: this clock five minutes ahead. */
    @Test
    void discoveryFindsTheRunWhenThisMachinesClockRunsAheadOfLettas() throws Exception {
        harness.letta.serverClockAhead(Duration.ofMinutes(-5));
        harness.letta.onSend(
                m -> new ScriptedStream(harness.letta.stored(runId).liveBody(), 0, ScriptedStream.Ending.EOF, n -> {}));
        harness.letta.onList(query -> List.of(runCreated(
                runId,
                harness.clock
                        .instant()
                        .minus(Duration.ofMinutes(5))
                        .plusSeconds(1)
                        .toString())));

        RunOutcome outcome = send();

        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind(), "outcome " + outcome);
        assertEquals(expectedChunks(FIXTURE), harness.log.chunks(runId));
    }

    @Test
    void discoveryIgnoresRunsCreatedBeforeTheSendAndGivesUpInTime() throws Exception {
        harness.letta.onSend(m -> {
            throw new IOException("no response");
        });
        harness.letta.onList(query -> List.of(
                runCreated(runId, harness.clock.instant().minusSeconds(30).toString())));

        RunOutcome outcome = send();

        assertEquals(RunOutcome.Kind.SEND_FAILED, outcome.kind());
        assertNull(outcome.runId());
        assertTrue(harness.log.all().isEmpty());
        Duration waited = harness.sleeps.stream().reduce(Duration.ZERO, Duration::plus);
        assertTrue(
                waited.compareTo(Duration.ofSeconds(5)) >= 0 && waited.compareTo(Duration.ofSeconds(6)) < 0,
                waited.toString());
    }

    @Test
    void discoveryThrottledByTheServerWaitsForItsRetryAfter() throws Exception {
        harness.letta.onSend(m -> {
            throw new IOException("no response");
        });
        harness.letta.onList(query -> {
            throw sneaky(new LettaHttpException("GET /v1/runs/", 429, "slow down", null, Duration.ofSeconds(3)));
        });

        RunOutcome outcome = send();

        assertEquals(RunOutcome.Kind.SEND_FAILED, outcome.kind());
        assertEquals(Duration.ofSeconds(3), harness.sleeps.getFirst(), "not the 250 ms discovery interval");
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable error) throws E {
        throw (E) error;
    }

    @Test
    void aBusyConversationAttachesToTheRunItNames() throws Exception {
        harness.letta.onSend(m -> {
            throw new LettaHttpException(
                    "POST /v1/conversations/conv-1/messages", 409, "Another request is being processed", runId, null);
        });

        RunOutcome outcome = send();

        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind());
        assertEquals(runId, outcome.runId());
        assertTrue(outcome.detail().contains("not accepted"), outcome.detail());
        assertEquals(
                "busy",
                value(harness.log.records(runId).getFirst(), LifecycleEvent.RunAttached.class)
                        .mode());
        assertEquals(expectedChunks(FIXTURE), harness.log.chunks(runId));
    }

    /**
     * The run a 409 "busy" answer names holds the conversation now, so it is no run recorded before the log's window:
     * its refused stream is recorded at once, even where the log forgets old runs and Letta cannot show its Run
     * object. Before, the send waited for that Run object as long as Letta could not show it.
     */
    @Test
    void aBusyRunRefusedWhileLettaCannotShowItIsRecordedWithoutWaiting() throws Exception {
        harness.letta.onSend(m -> {
            throw new LettaHttpException(
                    "POST /v1/conversations/conv-1/messages", 409, "Another request is being processed", runId, null);
        });
        harness.letta.runObjectUnavailable(runId);
        harness.letta.thenAlways(runId, new FakeLetta.Step.Http(410, "Run has expired", null));
        RunRegistry forgetting = new RunRegistry(
                harness.context(),
                CheckpointLookup.forgettingAfter(java.time.Duration.ofHours(3), CheckpointLookup.EMPTY),
                fatal::add);

        RunOutcome outcome = forgetting.send(message).get(20, TimeUnit.SECONDS);

        assertEquals(RunOutcome.Kind.EXPIRED, outcome.kind(), outcome.toString());
        assertEquals(List.of(RecordType.RUN_EXPIRED), harness.log.types(runId));
    }

    @Test
    void aRefusedSendRecordsNothing() throws Exception {
        harness.letta.onSend(m -> {
            throw new LettaHttpException(
                    "POST /v1/conversations/conv-1/messages", 422, "Messages must not be empty", null, null);
        });

        RunOutcome outcome = send();

        assertEquals(RunOutcome.Kind.SEND_FAILED, outcome.kind());
        assertTrue(outcome.detail().contains("422"));
        assertTrue(harness.log.all().isEmpty());
    }

    @Test
    void aRunAlreadyRecordedByAnotherIntakeIsNotRecordedTwice() throws Exception {
        harness.letta.then(runId, new FakeLetta.Step.Cut(5, ScriptedStream.Ending.HANG));
        var attached = registry.attach(runId, null, "watch");
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> harness.log.chunks(runId).size() >= 5);
        harness.letta.onSend(
                m -> ScriptedStream.whole(harness.letta.stored(runId).liveBody()));

        RunOutcome sent = send();

        assertEquals(attached.get(10, TimeUnit.SECONDS), sent);
        assertEquals(expectedChunks(FIXTURE), harness.log.chunks(runId));
        assertEquals(1, harness.log.ofType(runId, RecordType.RUN_ATTACHED).size());
    }

    @Test
    void aSendWhoseAttachTheLogRefusesLeavesTheRunFreeToBeRecordedAgain() throws Exception {
        AtomicBoolean partitionLost = new AtomicBoolean(true);
        SessionContext losing = harness.context(harness.context().api(), (record, stateAfter) -> {
            if (partitionLost.get()) {
                throw new PartitionLostException("partition 0 of letta.chunks was taken by another member");
            }
            harness.log.append(record, stateAfter);
        });
        RunRegistry fleetRegistry = new RunRegistry(losing, CheckpointLookup.EMPTY, fatal::add);
        harness.letta.onSend(
                m -> ScriptedStream.whole(harness.letta.stored(runId).liveBody()));

        RunOutcome sent = fleetRegistry.send(message).get(20, TimeUnit.SECONDS);

        assertEquals(RunOutcome.Kind.INTERRUPTED, sent.kind(), sent.toString());
        assertEquals(0, fleetRegistry.activeCount(), "the refused send still holds its claim on the run");
        partitionLost.set(false); // the partition comes back to this recorder, the run still active
        RunOutcome recorded = fleetRegistry.attach(runId, null, "watch").get(20, TimeUnit.SECONDS);
        assertEquals(RunOutcome.Kind.FINISHED, recorded.kind());
        assertEquals(expectedChunks(FIXTURE), harness.log.chunks(runId));
        assertTrue(fatal.isEmpty(), fatal.toString());
    }

    private RunOutcome send() throws Exception {
        RunOutcome outcome = registry.send(message).get(20, TimeUnit.SECONDS);
        assertTrue(fatal.isEmpty(), fatal.toString());
        return outcome;
    }

    private static Run runCreated(String runId, String createdAt) {
        ObjectNode json = Json.MAPPER
                .createObjectNode()
                .put("id", runId)
                .put("status", "running")
                .put("created_at", createdAt)
                .put("conversation_id", "conv-1")
                .put("background", true);
        return Run.fromJson(json);
    }
}
