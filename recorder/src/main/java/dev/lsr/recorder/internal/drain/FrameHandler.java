package dev.lsr.recorder.internal.drain;

import dev.lsr.recorder.internal.sse.SseFrame;

/** Takes the frames of one connection, in order. */
public interface FrameHandler {

    /**
     * Handles one frame (never {@link SseFrame#DONE}).
     *
     * @return true when the frame ends the connection (an {@code event: error} frame: the server
     *         closes after it)
     */
    boolean handle(SseFrame frame);

    /** The stream ended with {@code [DONE]} (which is not handed to {@link #handle}). */
    void streamEnded();

    /** True once the run has shown a {@code stop_reason}: the stream should end soon. */
    boolean stopReasonSeen();

    /** How many records this handler has appended so far: it changes exactly when a frame made progress. */
    long progress();
}
