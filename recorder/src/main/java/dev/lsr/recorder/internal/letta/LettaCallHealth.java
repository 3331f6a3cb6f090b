package dev.lsr.recorder.internal.letta;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether Letta's last call about no run in particular ended in an answer: the recorder's {@code letta} readiness
 * check. Those calls are the listing ({@code GET /v1/runs/}: the watcher's, the start check's and the probe's); a
 * call about one run or conversation that fails on Letta's side has Letta's listing asked instead
 * ({@link OutageTrackingLettaApi}), so one broken run among healthy ones does not mark the recorder down at its retry
 * cadence. Down while that last call found a server error (any 5xx: Letta Cloud's 503 refusal while it deploys too,
 * as no call gets through meanwhile) or no Letta (no connection, a page that is not Letta's, no answer in time); up
 * again with the next one Letta answers, an error about the request itself (a 404, a 409) included. The reason names
 * only the status or the exception's type and the route's template, never a URL, an id or a body.
 */
public final class LettaCallHealth {

    private final AtomicReference<String> failure = new AtomicReference<>();

    /** Why the last call failed ({@code HTTP 500 on GET /v1/runs/}), or empty: it was answered (or none was made). */
    public Optional<String> failure() {
        return Optional.ofNullable(failure.get());
    }

    void answered() {
        failure.set(null);
    }

    /** A call to {@code route} (a template: {@code GET /v1/runs/}) failed with {@code e}. */
    void failed(String route, IOException e) {
        if (!lettasFault(e)) {
            failure.set(null);
        } else if (e instanceof LettaHttpException http) {
            failure.set("HTTP " + http.status() + " on " + route);
        } else {
            failure.set("no answer on " + route + ": " + e.getClass().getSimpleName());
        }
    }

    /** A server error (any 5xx) or no answer from Letta, not an error about the request (a 404, a 409). */
    static boolean lettasFault(IOException e) {
        return !(e instanceof LettaHttpException http) || http.status() >= 500;
    }

    boolean down() {
        return failure.get() != null;
    }
}
