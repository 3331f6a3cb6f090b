package dev.lsr.recorder.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.RecordType;
import dev.lsr.recorder.internal.letta.LettaHttpException;
import dev.lsr.recorder.internal.letta.Run;
import dev.lsr.recorder.testing.FakeLetta;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SupervisorPolicyTest {

    private static final Instant NOW = Instant.parse("2026-03-14T18:00:00Z");
    private static final Duration BACKOFF = Duration.ofMillis(400);
    private final SupervisorPolicy policy = new SupervisorPolicy(Duration.ofMinutes(10));
    private final RunHealth fresh = new RunHealth(NOW.minusSeconds(5), 0, false, true, "running", null);

    @Test
    void expiryIsFinal() {
        Decision decision = policy.onHttpError(http(410, null), fresh, BACKOFF, NOW);
        assertEquals(new Decision.Refuse(RecordType.RUN_EXPIRED, 410, "detail"), decision);
    }

    @Test
    void notFoundIsFinalOnlyWhenTheRunGetDoesNotKnowTheRunEither() {
        assertEquals(
                new Decision.Refuse(RecordType.RUN_GONE, 404, "detail"),
                policy.onRefusedOpen(http(404, null), new ServerView.Missing("Run not found"), fresh, BACKOFF, NOW));
        for (ServerView known : List.of(
                new ServerView.Active(FakeLetta.run("run-1", "running")),
                new ServerView.Ended(FakeLetta.run("run-1", "completed")),
                new ServerView.Unknown("timeout"))) {
            assertEquals(
                    new Decision.Retry(BACKOFF, "http_404"),
                    policy.onRefusedOpen(http(404, null), known, fresh, BACKOFF, NOW),
                    known.toString());
        }
    }

    @Test
    void badRequestIsFinalOnlyForARunNotInBackgroundMode() {
        Run foreground = Run.fromJson(Json.MAPPER
                .createObjectNode()
                .put("id", "run-1")
                .put("status", "completed")
                .put("background", false));
        assertEquals(
                new Decision.Refuse(RecordType.RUN_NOT_RESUMABLE, 400, "detail"),
                policy.onRefusedOpen(http(400, null), new ServerView.Ended(foreground), fresh, BACKOFF, NOW));
        assertEquals(
                new Decision.Retry(BACKOFF, "http_400"),
                policy.onRefusedOpen(
                        http(400, null),
                        new ServerView.Active(FakeLetta.run("run-1", "running")),
                        fresh,
                        BACKOFF,
                        NOW));
    }

    @Test
    void aRefusalLettaDoesNotConfirmIsAbandonedLikeAnyRetry() {
        RunHealth stale = new RunHealth(NOW.minus(Duration.ofMinutes(10)), 0, false, true, "running", null);
        assertInstanceOf(
                Decision.Abandon.class,
                policy.onRefusedOpen(
                        http(404, null),
                        new ServerView.Active(FakeLetta.run("run-1", "running")),
                        stale,
                        BACKOFF,
                        NOW));
    }

    @ParameterizedTest
    @ValueSource(ints = {404, 400, 403})
    void notFoundBadRequestAndForbiddenAreNotDecidedWithoutTheRun(int status) {
        assertThrows(IllegalArgumentException.class, () -> policy.onHttpError(http(status, null), fresh, BACKOFF, NOW));
    }

    @Test
    void aRejectedKeyIsFatal() {
        assertInstanceOf(Decision.Fatal.class, policy.onHttpError(http(401, null), fresh, BACKOFF, NOW));
        assertInstanceOf(
                Decision.Fatal.class,
                policy.onRefusedOpen(http(403, null), new ServerView.KeyRejected(403), fresh, BACKOFF, NOW));
        assertInstanceOf(
                Decision.Fatal.class, policy.onDisconnect("eof", new ServerView.KeyRejected(401), fresh, BACKOFF, NOW));
    }

    @Test
    void forbiddenEndsOnlyARunTheKeyMayNotRead() {
        assertEquals(
                new Decision.Retry(BACKOFF, "http_403"),
                policy.onRefusedOpen(http(403, null), new ServerView.Forbidden(403, "no"), fresh, BACKOFF, NOW),
                "a 403 may pass: never final at once");
        RunHealth longAgo = new RunHealth(NOW.minus(Duration.ofMinutes(11)), 0, false, true, "running", null);
        assertEquals(
                new Decision.Abandon("forbidden", longAgo.lastProgressAt(), Duration.ofMinutes(11)),
                policy.onRefusedOpen(http(403, null), new ServerView.Forbidden(403, "no"), longAgo, BACKOFF, NOW));
        Run foreground = Run.fromJson(Json.MAPPER
                .createObjectNode()
                .put("id", "run-1")
                .put("status", "running")
                .put("background", false));
        for (ServerView shown : List.of(
                new ServerView.Active(FakeLetta.run("run-1", "running")),
                new ServerView.Active(foreground),
                new ServerView.Unknown("timeout"))) {
            assertEquals(
                    new Decision.Retry(BACKOFF, "http_403"),
                    policy.onRefusedOpen(http(403, null), shown, fresh, BACKOFF, NOW),
                    shown.toString());
        }
        // after a dropped connection, the next open answers for the run
        assertEquals(
                new Decision.Retry(BACKOFF, "eof"),
                policy.onDisconnect("eof", new ServerView.Forbidden(403, "no"), fresh, BACKOFF, NOW));
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 502, 503, 504, 408, 422})
    void otherStatusesAreRetriedWithTheBackoff(int status) {
        assertEquals(
                new Decision.Retry(BACKOFF, "http_" + status),
                policy.onHttpError(http(status, null), fresh, BACKOFF, NOW));
    }

    @Test
    void aLongerRetryAfterWinsOverTheBackoff() {
        assertEquals(
                new Decision.Retry(Duration.ofSeconds(7), "http_429"),
                policy.onHttpError(http(429, Duration.ofSeconds(7)), fresh, BACKOFF, NOW));
        assertEquals(
                new Decision.Retry(BACKOFF, "http_429"),
                policy.onHttpError(http(429, Duration.ZERO), fresh, BACKOFF, NOW));
    }

    @Test
    void retriesGiveUpOnceTheRunMadeNoProgressForTooLong() {
        RunHealth stale = new RunHealth(NOW.minus(Duration.ofMinutes(10)), 0, false, true, "running", null);
        Decision decision = policy.onHttpError(http(503, null), stale, BACKOFF, NOW);
        assertEquals(new Decision.Abandon("running", stale.lastProgressAt(), Duration.ofMinutes(10)), decision);
        Decision afterDisconnect = policy.onDisconnect(
                "stall", new ServerView.Active(FakeLetta.run("run-1", "created")), stale, BACKOFF, NOW);
        assertEquals(new Decision.Abandon("created", stale.lastProgressAt(), Duration.ofMinutes(10)), afterDisconnect);
    }

    @Test
    void theAbandonTimeDoesNotRunWhileLettaCannotBeReached() {
        Instant lastProgress = NOW.minus(Duration.ofMinutes(40));
        RunHealth duringOutage = new RunHealth(lastProgress, 0, false, false, "running", NOW);
        assertEquals(
                new Decision.Retry(BACKOFF, "http_502"),
                policy.onHttpError(http(502, null), duringOutage, BACKOFF, NOW),
                "an outage of any length gives no run up");
        assertEquals(
                new Decision.Retry(BACKOFF, "io_error"),
                policy.onDisconnect("io_error", new ServerView.Unknown("refused"), duringOutage, BACKOFF, NOW));

        RunHealth answeringAgain =
                new RunHealth(lastProgress, 0, false, true, "running", NOW.minus(Duration.ofMinutes(9)));
        ServerView active = new ServerView.Active(FakeLetta.run("run-1", "running"));
        assertEquals(
                new Decision.Retry(BACKOFF, "stall"),
                policy.onDisconnect("stall", active, answeringAgain, BACKOFF, NOW),
                "the clock starts again when Letta answers again");
        RunHealth answeringLongEnough =
                new RunHealth(lastProgress, 0, false, true, "running", NOW.minus(Duration.ofMinutes(10)));
        assertEquals(
                new Decision.Abandon("running", lastProgress, Duration.ofMinutes(40)),
                policy.onDisconnect("stall", active, answeringLongEnough, BACKOFF, NOW),
                "the record tells the whole wait since the last progress");
    }

    @Test
    void anOutageLongerThanLettasStreamRetentionGivesTheRunUp() {
        RunHealth pastRetention = new RunHealth(NOW.minus(Duration.ofHours(3)), 0, false, false, null, NOW);
        assertEquals(
                new Decision.Abandon("unknown", pastRetention.lastProgressAt(), Duration.ofHours(3)),
                policy.onHttpError(http(502, null), pastRetention, BACKOFF, NOW),
                "Letta no longer has the stream, whoever answers");
        RunHealth withinRetention = new RunHealth(NOW.minus(Duration.ofMinutes(179)), 0, false, false, null, NOW);
        assertInstanceOf(Decision.Retry.class, policy.onHttpError(http(502, null), withinRetention, BACKOFF, NOW));
    }

    @Test
    void aDisconnectOfAnActiveRunIsRetriedWithItsCause() {
        assertEquals(
                new Decision.Retry(BACKOFF, "eof"),
                policy.onDisconnect(
                        "eof", new ServerView.Active(FakeLetta.run("run-1", "running")), fresh, BACKOFF, NOW));
        assertEquals(
                new Decision.Retry(BACKOFF, "io_error"),
                policy.onDisconnect("io_error", new ServerView.Unknown("timeout"), fresh, BACKOFF, NOW));
    }

    @Test
    void anEndedRunIsResumedAtOnceUntilTwoOpenedConnectionsBroughtNothing() {
        ServerView ended = new ServerView.Ended(FakeLetta.run("run-1", "completed"));
        assertEquals(new Decision.Retry(Duration.ZERO, "eof"), policy.onDisconnect("eof", ended, fresh, BACKOFF, NOW));
        RunHealth oneEmpty = new RunHealth(fresh.lastProgressAt(), 1, false, true, "completed", null);
        assertEquals(
                new Decision.Retry(Duration.ZERO, "eof"),
                policy.onDisconnect("eof", ended, oneEmpty, BACKOFF, NOW),
                "one empty connection may just have been cut early");
        RunHealth twoEmpty = new RunHealth(fresh.lastProgressAt(), 2, false, true, "completed", null);
        assertEquals(
                new Decision.Finish(FakeLetta.run("run-1", "completed")),
                policy.onDisconnect("stall", ended, twoEmpty, BACKOFF, NOW));
    }

    /** A deploy's error frame or an I/O error cuts the connection, not the stream: an ended run is not finished. */
    @Test
    void aConnectionOfAnEndedRunCutByAnErrorFrameOrAnIoErrorNeverFinishesIt() {
        ServerView ended = new ServerView.Ended(FakeLetta.run("run-1", "completed"));
        RunHealth twoEmpty = new RunHealth(fresh.lastProgressAt(), 2, false, true, "completed", null);
        assertEquals(
                new Decision.Retry(BACKOFF, "error_frame"),
                policy.onDisconnect("error_frame", ended, twoEmpty, BACKOFF, NOW));
        assertEquals(
                new Decision.Retry(BACKOFF, "io_error"),
                policy.onDisconnect("io_error", ended, twoEmpty, BACKOFF, NOW));
    }

    @Test
    void aFailedOpenOfAnEndedRunIsRetriedWithBackoffNotFinished() {
        ServerView ended = new ServerView.Ended(FakeLetta.run("run-1", "completed"));
        RunHealth notConnected = new RunHealth(fresh.lastProgressAt(), 2, false, false, "completed", null);
        assertEquals(
                new Decision.Retry(BACKOFF, "io_error"),
                policy.onDisconnect("io_error", ended, notConnected, BACKOFF, NOW));
        RunHealth longAgo = new RunHealth(NOW.minus(Duration.ofHours(1)), 2, false, false, "completed", null);
        assertInstanceOf(Decision.Abandon.class, policy.onDisconnect("io_error", ended, longAgo, BACKOFF, NOW));
    }

    @Test
    void aRunTheServerNoLongerKnowsIsGone() {
        assertEquals(
                new Decision.Refuse(RecordType.RUN_GONE, 404, "Run not found"),
                policy.onDisconnect("eof", new ServerView.Missing("Run not found"), fresh, BACKOFF, NOW));
    }

    private static LettaHttpException http(int status, Duration retryAfter) {
        return new LettaHttpException("POST /v1/runs/run-1/stream", status, "detail", null, retryAfter);
    }
}
