package dev.lsr.recorder.internal.letta;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Letta answered with an HTTP error status. Carries the status, the server's {@code detail}, the
 * {@code run_id} of a 409 "busy" answer and a {@code Retry-After}, never a request header.
 */
public final class LettaHttpException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String detail;
    private final String runId;
    private final transient Duration retryAfter;

    public LettaHttpException(String request, int status, String detail, String runId, Duration retryAfter) {
        super(request + " -> HTTP " + status + (detail == null ? "" : ": " + detail));
        this.status = status;
        this.detail = detail;
        this.runId = runId;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    /** The server's {@code detail}, or null. */
    public String detail() {
        return detail;
    }

    /** The {@code run_id} in the error body (409 "busy"), if any. */
    public Optional<String> runId() {
        return Optional.ofNullable(runId);
    }

    /** The server's {@code Retry-After} (seconds or an HTTP-date, see {@link RetryAfter}), if it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
