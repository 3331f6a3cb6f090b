package dev.lsr.recorder.cli;

/** A setting that cannot be used, with one line saying which and why (never a secret value). */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
