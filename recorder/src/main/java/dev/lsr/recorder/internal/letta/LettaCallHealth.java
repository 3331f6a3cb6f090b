package dev.lsr.recorder.internal.letta;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether Letta's last call ended in an answer: the recorder's {@code letta} readiness check. Down while the last call
 * found a server error (any 5xx: Letta Cloud's 503 refusal while it deploys too, as no call gets through meanwhile)
 * or no Letta (no connection, a page that is not Letta's, no answer in time); up again with the next call Letta
 * answers, an error about the request itself (a 404 for a run, a 409) included. The reason names only the status or
 * the exception's type and the route's template, never a URL, an id or a body.
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

    /** A call to {@code route} (a template: {@code GET /v1/runs/{run_id}}) failed with {@code e}. */
    void failed(String route, IOException e) {
        if (e instanceof LettaHttpException http) {
            failure.set(http.status() >= 500 ? "HTTP " + http.status() + " on " + route : null);
        } else {
            failure.set("no answer on " + route + ": " + e.getClass().getSimpleName());
        }
    }

    boolean down() {
        return failure.get() != null;
    }
}
