package dev.lsr.sim.internal.store;

import dev.lsr.sim.StoredFrame;

/** One entry of a run's timeline: a stored frame, or a recorded keepalive ping replayed in place. */
public sealed interface StreamEntry {

    /** A stored frame, with its seq. */
    record Stored(StoredFrame frame) implements StreamEntry {}

    /**
     * A keepalive ping that was part of a recording. Pings are per connection and never stored; to
     * reproduce a recording byte for byte a reader replays it when it delivered the frame the ping
     * followed, i.e. when {@code starting_after < replayBelow} (and it asked for pings).
     */
    record RecordedPing(byte[] bytes, long replayBelow) implements StreamEntry {}
}
