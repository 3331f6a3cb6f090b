package dev.lsr.recorder.internal.run;

/** A failure the whole recorder cannot continue after (credentials rejected, log fenced or closed). */
public final class RecorderFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RecorderFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
