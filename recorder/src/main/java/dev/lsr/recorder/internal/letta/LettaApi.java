package dev.lsr.recorder.internal.letta;

import dev.lsr.recorder.SendMessage;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The Letta endpoints the recorder uses. Every call either returns or throws: a
 * {@link LettaHttpException} for an HTTP error status, another {@link IOException} when the request
 * failed on the way. Implementations never retry; the caller decides.
 */
public interface LettaApi {

    /**
     * One cheap request that only a Letta server answers as expected ({@code GET /v1/runs/?limit=1}):
     * throws what answered instead (an error status, a page that is not JSON, no connection). The
     * default, for fakes without a server, has nothing to check.
     */
    default void checkServer() throws IOException {}

    /**
     * How far Letta's clock runs ahead of this machine's (negative: behind), from the {@code Date} header of its
     * last answer that carried one; empty before that, and for fakes without a server. Read as a lower bound: the
     * header's whole seconds and the answer's way here both make it smaller than the true difference.
     */
    default Optional<Duration> serverClockAhead() {
        return Optional.empty();
    }

    /** {@code local}, an instant of this machine's clock, in Letta's time ({@link #serverClockAhead}), which its runs' {@code created_at} are in. */
    default Instant inLettasTime(Instant local) {
        return local.plus(serverClockAhead().orElse(Duration.ZERO));
    }

    /** {@code GET /v1/runs/{run_id}}. */
    Run getRun(String runId) throws IOException;

    /** {@code GET /v1/runs/} with the query's filters: one page, newest first ({@link RunPages} walks them all). */
    List<Run> listRuns(RunQuery query) throws IOException;

    /** {@code POST /v1/runs/{run_id}/stream} with {@code starting_after}, {@code batch_size: 1000}, pings on. */
    SseStream streamRun(String runId, long startingAfter) throws IOException;

    /**
     * {@code POST /v1/conversations/{conversation_id}/stream} by the message's otid, from the start:
     * finds a run whose send response was lost before its run id was seen.
     */
    SseStream streamByOtid(SendMessage message) throws IOException;

    /**
     * Sends the message in background mode with token streaming and pings; returns the run's stream.
     * A message to an agent goes to its default conversation.
     */
    SseStream send(SendMessage message) throws IOException;
}
