package dev.lsr.settings;

/**
 * A setting's value that cannot be used: the message names the setting and says what is expected;
 * it quotes the bad value only when the setting is not secret and the rule allows it.
 */
public final class SettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String setting;

    SettingException(String setting, String message) {
        super(message);
        this.setting = setting;
    }

    /** The name (properties key) of the setting at fault. */
    public String setting() {
        return setting;
    }
}
