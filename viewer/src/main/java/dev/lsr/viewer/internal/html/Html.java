package dev.lsr.viewer.internal.html;

import java.util.regex.Pattern;

/**
 * The one way text from the log reaches a page: secrets that look like credentials are masked, then
 * the text is HTML-escaped (safe in element content and in double-quoted attributes alike).
 */
public final class Html {

    /** Field names that say secret: the name may carry a prefix ({@code GITHUB_TOKEN}, {@code db_password}). */
    private static final String SECRET_NAME =
            "(?<![\\w.-])[\\w.-]*(?:api[_-]?key|access[_-]?key|token|password|passwd" + "|secret|authorization)";

    /**
     * Credential shapes masked wherever they appear (tool arguments and returns may carry them): API keys of the usual
     * providers, bearer and basic credentials, and values of fields named like a secret, quoted (to the closing quote,
     * spaces and all) or not (environment variables, headers). A name starts only where a word does, so a long token
     * is read in linear time.
     */
    private static final Pattern[] SECRETS = {
        Pattern.compile("\\b(sk-(?:ant-|proj-)?)[A-Za-z0-9_\\-]{12,}"),
        Pattern.compile("(?i)\\b((?:bearer|basic)\\s+)[A-Za-z0-9._~+/=\\-]{8,}"),
        Pattern.compile("(?i)(\"?" + SECRET_NAME + "\"?\\s*[:=]\\s*\")[^\"]+"),
        Pattern.compile("(?i)(" + SECRET_NAME + "\\s*[:=]\\s*)(?![\"\\s])[^\\s,}\"]{6,}")
    };

    private static final String MASK = "[redacted]";

    private Html() {}

    /** Text from the log (or anywhere), masked and escaped; null becomes the empty string. */
    public static String text(String value) {
        return escape(mask(value));
    }

    /** Credential-looking parts of {@code value} replaced by a mask. */
    public static String mask(String value) {
        if (value == null) {
            return "";
        }
        String masked = value;
        for (Pattern secret : SECRETS) {
            masked = secret.matcher(masked)
                    .replaceAll(match -> java.util.regex.Matcher.quoteReplacement(match.group(1) + MASK));
        }
        return masked;
    }

    /** HTML-escaped text, for element content and double- or single-quoted attributes. */
    public static String escape(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A path segment or query value, percent-encoded (run ids in links). */
    public static String url(String value) {
        return java.net.URLEncoder.encode(value == null ? "" : value, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    }
}
