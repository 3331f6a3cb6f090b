package dev.lsr.sim.internal.producer;

import dev.lsr.sim.internal.store.FrameSpec;

/** One step of a run's production timeline. */
public sealed interface ScriptEntry {

    /** Store a frame (after one pace interval). */
    record Frame(FrameSpec spec) implements ScriptEntry {}

    /** Put a recorded keepalive ping on the timeline (after one pace interval); never stored. */
    record RecordedPing(byte[] bytes, long replayBelow) implements ScriptEntry {}

    /** Wait this many extra pace intervals (tool execution, slow provider). */
    record Pause(int ticks) implements ScriptEntry {}

    /** The run is cancelled here, as if {@code POST .../cancel} arrived. */
    record CancelHere() implements ScriptEntry {}
}
