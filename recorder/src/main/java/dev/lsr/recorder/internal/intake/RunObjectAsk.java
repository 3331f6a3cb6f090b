package dev.lsr.recorder.internal.intake;

import dev.lsr.kernel.Backoff;
import dev.lsr.recorder.internal.letta.LettaHttpException;
import dev.lsr.recorder.internal.letta.RetryAfter;
import dev.lsr.recorder.internal.letta.Run;
import dev.lsr.recorder.internal.run.SessionContext;
import java.io.IOException;
import java.io.Serial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks Letta for a run's Run object until it shows it: while Letta cannot (no answer, 408, 429, 5xx), asks again with
 * the sessions' backoff, logged once at INFO. Letta's other refusals (404, 401/403, another 4xx) end the asking: null.
 * Used only where nothing is lost by waiting ({@link RunRegistry}: a run whose stream Letta refused for good).
 */
final class RunObjectAsk {

    private static final Logger log = LoggerFactory.getLogger(RunObjectAsk.class);

    private final SessionContext ctx;

    RunObjectAsk(SessionContext ctx) {
        this.ctx = ctx;
    }

    /** The Run object, or null when Letta refuses it for good; waits while Letta cannot show it. */
    Run runOnceShown(String runId) {
        Backoff backoff = ctx.settings().backoff();
        for (int attempt = 1; ; attempt++) {
            try {
                return ctx.api().getRun(runId);
            } catch (IOException e) {
                if (!mayShowItLater(e)) {
                    log.debug("Run {}: no Run object: {}", runId, e.getMessage());
                    return null;
                }
                if (ctx.isStopping()) {
                    throw new StoppedWaiting();
                }
                if (attempt == 1) {
                    log.info(
                            "Run {}: Letta refused its stream and cannot show its Run object ({}); asking again until"
                                    + " it does: only the run's end time tells whether the log held it already",
                            runId,
                            e.getMessage());
                }
                try {
                    ctx.sleeper().sleep(RetryAfter.atLeast(e, backoff.delay(ctx.random())));
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    throw new StoppedWaiting();
                }
                backoff = backoff.next();
            }
        }
    }

    private static boolean mayShowItLater(IOException e) {
        if (!(e instanceof LettaHttpException http)) {
            return true;
        }
        int status = http.status();
        return status >= 500 || status == 408 || status == 429;
    }

    /** The recorder (or the run's partition) stopped while Letta could not show the run: nothing was appended. */
    static final class StoppedWaiting extends RuntimeException {

        @Serial
        private static final long serialVersionUID = 1L;

        StoppedWaiting() {
            super("stopped while waiting for Letta to show the run; nothing appended", null, false, false);
        }
    }
}
