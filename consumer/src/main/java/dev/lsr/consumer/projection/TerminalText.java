package dev.lsr.consumer.projection;

import java.util.Locale;

/**
 * Text from the log made safe to print at a terminal. A chunk's content (a tool return can carry a whole web page)
 * may hold control characters a terminal would obey: {@code ESC [2J} clears the screen, {@code ESC ]52;c;…BEL}
 * writes the clipboard. Every control character (U+0000..U+001F, U+007F..U+009F) is shown instead as the six
 * characters of its Unicode escape, {@code \u001b}; text with several lines keeps its line feeds and tabs, one line
 * keeps its tabs. JSON output needs none of this: its encoder escapes control characters itself.
 */
public final class TerminalText {

    private TerminalText() {}

    /** Text of several lines, as shown: line feeds and tabs kept, every other control character escaped. */
    public static String block(String text) {
        return escape(text, true);
    }

    /** One line (a table cell, an event line, a warning), as shown: tabs kept, line breaks escaped too. */
    public static String line(String text) {
        return escape(text, false);
    }

    private static String escape(String text, boolean keepLineFeeds) {
        if (text == null) {
            return null;
        }
        StringBuilder shown = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean kept = !Character.isISOControl(c) || c == '\t' || (keepLineFeeds && c == '\n');
            if (!kept && shown == null) {
                shown = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (!kept) {
                shown.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else if (shown != null) {
                shown.append(c);
            }
        }
        return shown == null ? text : shown.toString();
    }
}
