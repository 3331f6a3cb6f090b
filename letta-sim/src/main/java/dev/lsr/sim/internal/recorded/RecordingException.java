package dev.lsr.sim.internal.recorded;

/** A recording that cannot be served: names the source and what is wrong with it. */
public final class RecordingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public RecordingException(String source, String problem) {
        super("recording " + source + ": " + problem);
    }
}
