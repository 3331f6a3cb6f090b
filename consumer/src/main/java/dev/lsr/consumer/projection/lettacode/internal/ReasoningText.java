package dev.lsr.consumer.projection.lettacode.internal;

import java.util.regex.Pattern;

/** Letta Code's reasoning text rules ({@code normalizeReasoningSectionBoundaries}, {@code reasoning-text.ts}). */
final class ReasoningText {

    private static final Pattern FOUR_STARS = Pattern.compile("\\*\\*\\*\\*");
    private static final Pattern HEADING_AFTER_TEXT = Pattern.compile("([^\\n])(\\*\\*[^*\\n]+\\*\\*\\n\\n)");

    private ReasoningText() {}

    /**
     * Restores blank lines between adjacent reasoning-summary headings: {@code ****} becomes
     * {@code **\n\n**}, and a blank line is inserted before a {@code **Heading**\n\n} glued to a
     * preceding non-newline character.
     */
    static String normalizeSectionBoundaries(String text) {
        // the rule runs over the whole text at every delta: look for what each pattern needs before running it
        String fixed = text.contains("****") ? FOUR_STARS.matcher(text).replaceAll("**\n\n**") : text;
        return fixed.contains("**\n\n") ? HEADING_AFTER_TEXT.matcher(fixed).replaceAll("$1\n\n$2") : fixed;
    }

    /** A finished reasoning line loses its trailing newlines. */
    static String trimFinished(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '\n') {
            end--;
        }
        return text.substring(0, end);
    }
}
