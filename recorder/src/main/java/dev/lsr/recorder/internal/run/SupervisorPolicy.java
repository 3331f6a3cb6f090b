package dev.lsr.recorder.internal.run;

import dev.lsr.chunklog.RecordType;
import dev.lsr.recorder.internal.drain.ConnectionEnd;
import dev.lsr.recorder.internal.letta.LettaHttpException;
import dev.lsr.recorder.internal.letta.RetryAfter;
import dev.lsr.recorder.internal.letta.Run;
import dev.lsr.settings.LettaRetention;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The one place that classifies failures of a run's stream: retriable (reconnect after a delay)
 * or final (record why, stop), and fatal for the recorder. Pure: the same inputs give the same
 * decision.
 *
 * <ul>
 *   <li>HTTP 410 expired: final. HTTP 404 and 400 are final only when {@code GET /v1/runs/{id}} agrees: the run is
 *       unknown (gone), or not in background mode (not resumable); else, from a proxy or a deploy while Letta
 *       still has the run, they are a failed connection like any other ({@link #onRefusedOpen}).</li>
 *   <li>HTTP 401: fatal, credentials will not fix themselves. HTTP 403 is decided with the run's view too: when
 *       Letta refuses the run's GET and its start-check route as well, the key is rejected: fatal; else (the key
 *       may not read this run, another project's; or a gateway's passing refusal) only this run is retried, and
 *       abandoned after the abandon time ({@code server_status} {@value #FORBIDDEN_STATUS}).</li>
 *   <li>HTTP 429, 5xx and other statuses: retry after the backoff delay or the server's
 *       {@code Retry-After}, whichever is longer.</li>
 *   <li>EOF, I/O error, stall, or an {@code event: error} frame that did not end the run: ask the
 *       server. Active: retry. Ended: after a connection that opened, retry at once to collect the tail (a resume of an ended run replays what is left and
 *       ends with {@code [DONE]}); once two opened connections in a row brought nothing new and ended by
 *       themselves (EOF or stall, {@link #saysNothingMore}) while the server said the run had ended, finish (one
 *       empty connection may just have been cut early); a connection cut by an I/O error or an error frame, or a
 *       failed open, says nothing about the stream: retry with backoff, so a run whose every resume is cut is
 *       abandoned after the abandon time, never finished with its tail unread. Unknown: retry. Missing: gone.</li>
 *   <li>Every retry gives up once the run made no progress for {@code abandonAfter} while Letta answered:
 *       abandoned. The time counts from the later of the run's last progress and the last call of the run
 *       that found no Letta at all ({@link RunHealth#lettaUnreachableAt()}): Letta keeps a run's stream for
 *       hours, so an outage of Letta, however long, never gives up the runs it caught; once Letta answers
 *       again they resume, and the clock starts again from there. Past Letta's stream retention without
 *       progress ({@link LettaRetention#STREAM}, counted from the last progress, so later than Letta's own
 *       count from the run's creation) the stream is gone whoever answers: abandoned then, outage or not.</li>
 * </ul>
 */
public final class SupervisorPolicy {

    /** The {@code server_status} of a run abandoned while Letta refused it to the recorder's key (403). */
    static final String FORBIDDEN_STATUS = "forbidden";

    /** Opened connections in a row that bring nothing, while the server says the run ended, before it is finished. */
    static final int EMPTY_CONNECTIONS_TO_FINISH = 2;

    /**
     * True when a connection that ended this way ({@link #onDisconnect}'s cause) may mean the server has nothing more
     * to send: it closed the stream ({@code eof}) or sent nothing more ({@code stall}). A connection cut by an error
     * frame (a Cloud deploy), an I/O error or a failed open says nothing about the stream, so it never counts towards
     * finishing an ended run: counted, two such cuts in a row finished the run with its tail unread and no gap.
     */
    static boolean saysNothingMore(String cause) {
        return ConnectionEnd.Disconnected.EOF.equals(cause) || ConnectionEnd.Disconnected.STALL.equals(cause);
    }

    private final Duration abandonAfter;

    public SupervisorPolicy(Duration abandonAfter) {
        this.abandonAfter = Objects.requireNonNull(abandonAfter, "abandonAfter");
    }

    /** After the stream could not be opened because the server answered with an error status. */
    public Decision onHttpError(LettaHttpException error, RunHealth health, Duration backoffDelay, Instant now) {
        int status = error.status();
        return switch (status) {
            case 410 -> new Decision.Refuse(RecordType.RUN_EXPIRED, status, error.detail());
            case 404, 400, 403 ->
                throw new IllegalArgumentException("HTTP " + status + " is decided with the run's view: onRefusedOpen");
            case 401 -> keyRejected(status);
            default -> {
                Duration delay = RetryAfter.atLeast(error, backoffDelay);
                yield retryOrAbandon("http_" + status, delay, health, health.lastKnownStatus(), now);
            }
        };
    }

    /** Whether a stream open answered with this status is decided with the Run GET ({@link #onRefusedOpen}). */
    public static boolean asksTheRun(int status) {
        return status == 404 || status == 400 || status == 403;
    }

    /**
     * After a stream open was answered 404, 400 or 403, with what {@code GET /v1/runs/{id}} said then: gone when Letta
     * does not know the run, not resumable when it says the run is not in background mode (404, 400); fatal when
     * Letta rejects the key everywhere; else retried (or abandoned) like a dropped connection: a proxy's or a
     * deploy's answer must not end a run Letta still has.
     */
    public Decision onRefusedOpen(
            LettaHttpException error, ServerView view, RunHealth health, Duration backoffDelay, Instant now) {
        int status = error.status();
        if (!asksTheRun(status)) {
            throw new IllegalArgumentException("not a refusal decided with the run's view: HTTP " + status);
        }
        return switch (view) {
            case ServerView.Missing missing -> new Decision.Refuse(RecordType.RUN_GONE, 404, error.detail());
            // a 403 may be a gateway's or a firewall's passing refusal: never final, given up after the abandon time
            case ServerView.Forbidden forbidden ->
                retryOrAbandon("http_" + status, backoffDelay, health, FORBIDDEN_STATUS, now);
            case ServerView.KeyRejected rejected -> keyRejected(rejected.status());
            case ServerView.Active active -> refusedUnlessBackground(error, active.run(), health, backoffDelay, now);
            case ServerView.Ended ended -> refusedUnlessBackground(error, ended.run(), health, backoffDelay, now);
            case ServerView.Unknown unknown ->
                retryOrAbandon("http_" + status, backoffDelay, health, health.lastKnownStatus(), now);
        };
    }

    private Decision refusedUnlessBackground(
            LettaHttpException error, Run run, RunHealth health, Duration backoffDelay, Instant now) {
        if (error.status() != 403 && Boolean.FALSE.equals(run.background())) {
            return new Decision.Refuse(RecordType.RUN_NOT_RESUMABLE, error.status(), error.detail());
        }
        return retryOrAbandon("http_" + error.status(), backoffDelay, health, run.status(), now);
    }

    /** After a connection ended without a terminal frame (or could not be opened for an I/O error). */
    public Decision onDisconnect(String cause, ServerView view, RunHealth health, Duration backoffDelay, Instant now) {
        return switch (view) {
            case ServerView.Missing missing -> new Decision.Refuse(RecordType.RUN_GONE, 404, missing.detail());
            case ServerView.Ended ended -> {
                if (!health.connectedSinceLastDecision() || !saysNothingMore(cause)) {
                    yield retryOrAbandon(
                            cause, backoffDelay, health, ended.run().status(), now);
                }
                yield health.emptyConnectionsAfterEnd() >= EMPTY_CONNECTIONS_TO_FINISH
                        ? new Decision.Finish(ended.run())
                        : new Decision.Retry(Duration.ZERO, cause);
            }
            case ServerView.Active active ->
                retryOrAbandon(cause, backoffDelay, health, active.run().status(), now);
            case ServerView.KeyRejected rejected -> keyRejected(rejected.status());
            // the next open answers for the run
            case ServerView.Forbidden forbidden ->
                retryOrAbandon(cause, backoffDelay, health, health.lastKnownStatus(), now);
            case ServerView.Unknown unknown ->
                retryOrAbandon(cause, backoffDelay, health, health.lastKnownStatus(), now);
        };
    }

    private static Decision keyRejected(int status) {
        return new Decision.Fatal("Letta rejected the API key (HTTP " + status + ")");
    }

    private Decision retryOrAbandon(String cause, Duration delay, RunHealth health, String status, Instant now) {
        Instant unreachable = health.lettaUnreachableAt();
        Instant answeredSince = unreachable != null && unreachable.isAfter(health.lastProgressAt())
                ? unreachable
                : health.lastProgressAt();
        Duration waited = Duration.between(health.lastProgressAt(), now);
        if (Duration.between(answeredSince, now).compareTo(abandonAfter) >= 0
                || waited.compareTo(LettaRetention.STREAM) >= 0) {
            return new Decision.Abandon(status == null ? "unknown" : status, health.lastProgressAt(), waited);
        }
        return new Decision.Retry(delay, cause);
    }
}
