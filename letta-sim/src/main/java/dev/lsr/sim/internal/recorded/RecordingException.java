package dev.lsr.sim.internal.recorded;

/** A recording that cannot be served: names the source and what is wrong with it. */
public final class RecordingException extends IllegalArgumentException {

    public RecordingException(String source, String problem) {
        super("recording " + source + ": " + problem);
    }
}
