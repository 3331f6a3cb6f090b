package dev.lsr.recorder;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The extra headers sent with every Letta request: Letta Cloud's {@code X-Project-Id}, a multi-user
 * server's {@code user_id}, a password server's {@code X-BARE-PASSWORD}. A header whose name looks
 * secret is never shown: its value is hidden wherever the config is printed or logged.
 */
public final class LettaHeaders {

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final String[] SECRET_WORDS = {
        "auth", "key", "token", "secret", "password", "cookie", "session", "credential", "signature"
    };

    private LettaHeaders() {}

    /**
     * Checks names and values; the API key has its own setting, so {@code Authorization} is refused. No error quotes
     * what was given: a name that is not one may hold the secret ({@code "X-Api-Key: <key>"}, curl's form), and a
     * value is a secret.
     */
    static Map<String, String> validate(Map<String, String> headers) {
        String setting = RecorderSettings.LETTA_HEADERS.describe();
        for (var header : headers.entrySet()) {
            String name = header.getKey();
            if (name == null || !TOKEN.matcher(name).matches()) {
                throw new IllegalArgumentException(setting + ": a name given is not a header name (letters, digits"
                        + " and !#$%&'*+.^_`|~-, as NAME=VALUE)");
            }
            if (name.equalsIgnoreCase("Authorization")) {
                throw new IllegalArgumentException(
                        setting + ": the Authorization header comes from the API key, not a Letta header");
            }
            String value = header.getValue();
            // printable ASCII and tab, what OkHttp sends; it refuses anything else quoting the value
            if (value == null || value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c > 0x7e)) {
                throw new IllegalArgumentException(setting + ": header " + name
                        + " has no value, or a character in it that is not printable ASCII");
            }
        }
        return Map.copyOf(headers);
    }

    /** True for a name that suggests a credential ({@code X-Api-Key}, {@code X-BARE-PASSWORD}, ...). */
    public static boolean looksSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String word : SECRET_WORDS) {
            if (lower.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** The headers for a log line: names in order, values of secret-looking names hidden. */
    static String describe(Map<String, String> headers) {
        Map<String, String> shown = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, value) -> shown.put(name, looksSecret(name) ? "(hidden)" : value));
        return shown.toString();
    }
}
