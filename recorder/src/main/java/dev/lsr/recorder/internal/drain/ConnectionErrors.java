package dev.lsr.recorder.internal.drain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.ChunkPeek;

/**
 * Tells an {@code event: error} frame of one connection only from one of the run's stream.
 *
 * <p>Servers cut a reader with an error frame while the run goes on: Letta Cloud on a deploy
 * ({@code error_message}, {@code error_code: cloud_api_deployment_interrupted}, the last seq repeated
 * or none), the legacy server's response writer on its own exception ({@code {"error": ..., "code":
 * ...}}: no {@code message_type}, never stored, no seq). Such a frame is not part of the run's stream:
 * a resume does not replay it, so it must not take a position a stored frame needs later.
 *
 * <p>The rule: a frame showing a new seq was stored (it is the run's, at that seq); one repeating an old
 * seq is the connection's (like a keepalive ping). A seq-less one is the connection's when it has no
 * {@code message_type}, names the deploy interruption, comes before any {@code stop_reason} (every terminal error
 * sequence of Letta starts with a {@code stop_reason}, and Letta Code treats an error without one, while the run is
 * active, as a disconnect), or comes on a stream that shows seqs: Letta's reader writes the number into a stored
 * {@code error_message} of a background run (protocol §3.1), so a seq-less one there was never stored. What is
 * left, a seq-less error after a {@code stop_reason} on a stream without seqs, is a foreground run's terminal
 * error: the run's.
 */
final class ConnectionErrors {

    static final String DEPLOYMENT_INTERRUPTED = "cloud_api_deployment_interrupted";

    private ConnectionErrors() {}

    /**
     * @param frame           the error frame's JSON
     * @param peek            its peeked fields
     * @param lastSeq         the connection's last visible seq (its {@code starting_after} before any): above 0 only
     *                        on a stream that numbers its frames, a background run's
     * @param stopReasonSeen  whether the run showed a {@code stop_reason}
     */
    static boolean isPerConnection(JsonNode frame, ChunkPeek peek, long lastSeq, boolean stopReasonSeen) {
        if (peek.seqId() != null) {
            return peek.seqId() <= lastSeq;
        }
        return peek.messageType() == null
                || !stopReasonSeen
                || lastSeq > 0
                || DEPLOYMENT_INTERRUPTED.equals(frame.path("error_code").asText(null));
    }
}
