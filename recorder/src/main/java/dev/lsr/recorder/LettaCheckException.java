package dev.lsr.recorder;

/**
 * The Letta server failed the recorder's start check: the URL answered with something that is not
 * Letta (an HTML page, an error status, a wrong API key) or nothing answered. The message is one line
 * saying what answered instead; no credentials. Raised before the log or an embedded broker starts;
 * the CLI exits with 2 (configuration).
 */
public final class LettaCheckException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LettaCheckException(String message) {
        super(message, null, false, false);
    }
}
