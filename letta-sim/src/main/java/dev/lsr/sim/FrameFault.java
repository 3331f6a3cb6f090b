package dev.lsr.sim;

/**
 * A bad frame stored in a generated run's stream (so every reader sees it, at every resume). It is
 * inserted as the {@code position}-th stored frame and takes that sequence number like any other
 * frame; the frames after it shift up by one. A position past the end puts it just before the
 * run's terminal frames. Only generated runs (sends and workload runs) take stored-frame faults:
 * a recording's visible seq_ids are fixed.
 */
public sealed interface FrameFault {

    /** The 1-based index among stored frames (= its seq in a whole run). */
    int position();

    /** {@code data: {not json ...}}: not JSON, so it shows no seq_id (its number is hidden). */
    record Malformed(int position) implements FrameFault {}

    /**
     * A valid {@code assistant_message} chunk whose whole frame is about {@code sizeBytes} bytes
     * (e.g. 2 MB); shows its seq_id.
     */
    record Oversized(int position, int sizeBytes) implements FrameFault {}

    /** An {@code assistant_message} chunk whose content holds invalid UTF-8 bytes; shows its seq_id. */
    record InvalidUtf8(int position) implements FrameFault {}
}
