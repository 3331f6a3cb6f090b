package dev.lsr.sim.internal.store;

/**
 * A frame about to be stored: its exact SSE bytes plus what the run's lifecycle needs to know
 * about it.
 *
 * @param bytes the whole SSE frame ({@code data: ...\n\n} or {@code event: error\ndata: ...\n\n})
 * @param kind what the frame is
 * @param stopReason the stop reason for a {@link FrameKind#STOP_REASON} frame, else null
 * @param errorJson the error payload JSON for an {@link FrameKind#ERROR} frame, else null
 * @param isFinal whether readers stop after this frame
 */
public record FrameSpec(byte[] bytes, FrameKind kind, String stopReason, String errorJson, boolean isFinal) {}
