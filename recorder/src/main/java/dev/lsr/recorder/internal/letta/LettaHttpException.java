package dev.lsr.recorder.internal.letta;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Letta answered with an HTTP error status. Carries the status, the server's own words (from
 * {@code detail}, {@code error}, {@code error.message} or {@code message}), the {@code run_id} of a 409
 * "busy" answer, Letta Cloud's {@code errorCode}/{@code admitted}/{@code retryable} and a
 * {@code Retry-After}; never a request header.
 */
public final class LettaHttpException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Cloud's answer to a send while an instance shuts down: the message was not accepted. */
    public static final String SHUTTING_DOWN = "cloud_api_shutting_down";

    /** How Letta's 503 begins when it runs without Redis (protocol §1.7): it cannot stream background runs. */
    static final String NO_REDIS = "Background streaming requires Redis";

    private final int status;
    private final transient Body body;
    private final transient Duration retryAfter;

    /**
     * What an error body said; any field may be null.
     *
     * @param detail    the server's words
     * @param runId     the busy run of a 409
     * @param errorCode Cloud's {@code errorCode}
     * @param admitted  Cloud's {@code admitted}: false when the request was not accepted
     * @param retryable Cloud's {@code retryable}
     */
    public record Body(String detail, String runId, String errorCode, Boolean admitted, Boolean retryable) {
        public static final Body NONE = new Body(null, null, null, null, null);
    }

    public LettaHttpException(String request, int status, String detail, String runId, Duration retryAfter) {
        this(request, status, new Body(detail, runId, null, null, null), retryAfter);
    }

    public LettaHttpException(String request, int status, Body body, Duration retryAfter) {
        super(request + " -> HTTP " + status + (body.detail() == null ? "" : ": " + body.detail())
                + (body.errorCode() == null ? "" : " (" + body.errorCode() + ")"));
        this.status = status;
        this.body = body;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    /** The server's words, or null. */
    public String detail() {
        return body.detail();
    }

    /** True for 401 and 403: the server refused the credentials (everywhere, or for this request). */
    public boolean refusesCredentials() {
        return status == 401 || status == 403;
    }

    /** The {@code run_id} in the error body (409 "busy"), if any. */
    public Optional<String> runId() {
        return Optional.ofNullable(body.runId());
    }

    /** The {@code errorCode} in the error body (Letta Cloud), if any. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(body.errorCode());
    }

    /**
     * True when the server says the request was refused before it was accepted and may be sent again:
     * Cloud's 503 {@code cloud_api_shutting_down} ({@code admitted: false, retryable: true}). Only then
     * may a send be repeated without risking a second run.
     */
    public boolean notAdmittedRetryable() {
        return Boolean.FALSE.equals(body.admitted()) && !Boolean.FALSE.equals(body.retryable())
                || SHUTTING_DOWN.equals(body.errorCode()) && !Boolean.TRUE.equals(body.admitted());
    }

    /**
     * True for a server error that does not say the request was refused (a gateway's 502, Letta's 500, a 503 or 504
     * without {@code admitted: false}): the request may have reached Letta and been acted on before the answer was
     * lost, so a send is looked for by its otid instead of being given up.
     */
    public boolean mayHaveBeenAccepted() {
        return status >= 500 && !Boolean.FALSE.equals(body.admitted()) && !backgroundStreamingUnavailable();
    }

    /**
     * True for Letta's own 503 "Background streaming requires Redis" (protocol §1.7): the server answered, and
     * it cannot stream a background run (nor resume one) until it is restarted with Redis. Unlike Letta's other
     * 503s (its database unavailable, say), which a gateway's 503 looks like from here, this is no outage.
     */
    public boolean backgroundStreamingUnavailable() {
        return status == 503 && body.detail() != null && body.detail().startsWith(NO_REDIS);
    }

    /** The server's {@code Retry-After} (seconds or an HTTP-date, see {@link RetryAfter}), if it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
