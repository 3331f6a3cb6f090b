package dev.lsr.recorder.internal.run;

/**
 * Letta rejected the API key (HTTP 401/403) while the recorder was running: nothing can work, the whole
 * recorder stops ({@link dev.lsr.recorder.RecorderFailure.CredentialsRejected}). The message names the
 * status, never the key.
 */
public final class CredentialsRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CredentialsRejectedException(String message) {
        super(message);
    }
}
