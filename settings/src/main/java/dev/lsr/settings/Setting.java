package dev.lsr.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One setting, declared once: its name (the properties-file key), flag, environment variable, type,
 * default, validators and doc, after Kafka's {@code ConfigDef}. Builders take their defaults from
 * {@link #defaultValue()}, parsers read values with {@link #parse(String)}, code-built values are
 * checked with {@link #requireValid(Object)}: the rule lives here, nowhere else.
 *
 * <p>Errors name the setting ({@code --partitions (LSR_PARTITIONS, topic.partitions): 'many' is not a
 * whole number}) and never quote the value of a {@linkplain Builder#secret() secret} setting.
 *
 * @param <T> the value's type
 */
public final class Setting<T> {

    private final String name;
    private final String flag;
    private final String env;
    private final SettingType<T> type;
    private final String defaultText;
    private final T defaultValue;
    private final List<Validator<? super T>> validators;
    private final String doc;
    private final boolean secret;

    private Setting(Builder<T> b) {
        name = requireText(b.name, "name");
        flag = b.flag;
        env = b.env;
        type = Objects.requireNonNull(b.type, "type");
        validators = List.copyOf(b.validators);
        doc = requireText(b.doc, "doc");
        secret = b.secret;
        defaultText = b.defaultText;
        // A default that breaks its own rule fails when the declaring class loads, not in production.
        defaultValue = defaultText == null ? null : parse(defaultText);
    }

    public static <T> Builder<T> builder(String name, SettingType<T> type) {
        return new Builder<>(name, type);
    }

    /** The properties-file key, e.g. {@code topic.partitions}. */
    public String name() {
        return name;
    }

    /** The command-line flag, e.g. {@code --partitions}, or null for none. */
    public String flag() {
        return flag;
    }

    /** The environment variable, e.g. {@code LSR_PARTITIONS}, or null for none. */
    public String env() {
        return env;
    }

    public SettingType<T> type() {
        return type;
    }

    /** True for a list: the flag may repeat, the other sources separate values with commas. */
    public boolean repeatable() {
        return type.list();
    }

    /** The default as written in docs and help, or null when the setting is absent by default. */
    public String defaultText() {
        return defaultText;
    }

    /** The default value, or null when the setting is absent by default. */
    public T defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    /** True when values are never shown in errors. */
    public boolean secret() {
        return secret;
    }

    /** How errors name the setting: {@code --flag (ENV, name)}. */
    public String describe() {
        String sources = env == null ? name : env + ", " + name;
        return flag == null ? sources : flag + " (" + sources + ")";
    }

    /**
     * Reads and validates {@code text}; null stays null (absent).
     *
     * @throws SettingException naming this setting when the text is not of its type or breaks a rule
     */
    public T parse(String text) {
        if (text == null) {
            return null;
        }
        T value;
        try {
            value = type.parse(text);
        } catch (IllegalArgumentException e) {
            throw invalid(quoted(text.strip(), true), type.expectation());
        }
        check(value, quoted(text.strip(), true));
        return value;
    }

    /**
     * Checks a value built in code against this setting's rules.
     *
     * @return the value
     * @throws SettingException naming this setting
     */
    public T requireValid(T value) {
        if (value == null) {
            throw new SettingException(name, describe() + ": must be given");
        }
        check(value, quoted(String.valueOf(value), true));
        return value;
    }

    private void check(T value, String shown) {
        for (Validator<? super T> validator : validators) {
            if (!validator.accepts(value)) {
                throw invalid(validator.showsValue() ? shown : quoted(null, false), validator.expectation());
            }
        }
    }

    private String quoted(String text, boolean show) {
        return show && !secret ? "'" + text + "'" : "the value given";
    }

    private SettingException invalid(String shown, String expectation) {
        return new SettingException(name, describe() + ": " + shown + " is not " + expectation);
    }

    @Override
    public String toString() {
        return describe();
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a setting needs a " + what);
        }
        return value;
    }

    /** Declares a {@link Setting}. */
    public static final class Builder<T> {
        private final String name;
        private final SettingType<T> type;
        private String flag;
        private String env;
        private String defaultText;
        private final List<Validator<? super T>> validators = new ArrayList<>();
        private String doc;
        private boolean secret;

        private Builder(String name, SettingType<T> type) {
            this.name = name;
            this.type = type;
        }

        public Builder<T> flag(String value) {
            flag = value;
            return this;
        }

        public Builder<T> env(String value) {
            env = value;
            return this;
        }

        /** The default, written as a user would write it (parsed and validated at build). */
        public Builder<T> defaultValue(String text) {
            defaultText = text;
            return this;
        }

        /** A rule the value must keep; rules are checked in the order given. */
        public Builder<T> validator(Validator<? super T> value) {
            validators.add(Objects.requireNonNull(value, "validator"));
            return this;
        }

        public Builder<T> doc(String value) {
            doc = value;
            return this;
        }

        /** Values are never shown in errors. */
        public Builder<T> secret() {
            secret = true;
            return this;
        }

        public Setting<T> build() {
            return new Setting<>(this);
        }
    }
}
