package dev.lsr.consumer.projection.lettacode.internal;

import dev.lsr.consumer.projection.lettacode.Line;

/**
 * Letta Code's {@code trySplitContent} ("aggressive static promotion"), on only when token streaming is
 * enabled: once an assistant line's text reaches {@value #MIN_SPLIT_LENGTH} characters, the part before the
 * last safe markdown boundary becomes a finished {@code <id>-split-<n>} line inserted before the live line,
 * which keeps the tail and is marked as a continuation. 0.32.18 splits assistant lines only.
 */
final class ContentSplitter {

    /** Text length (UTF-16 units, as JavaScript counts) from which a line may be split. */
    static final int MIN_SPLIT_LENGTH = 1500;

    private ContentSplitter() {}

    /** Splits the line if enabled and possible; returns whether it did (then the text is already stored). */
    static boolean trySplit(Buffers b, String id, TextKind kind, String newText) {
        if (!b.tokenStreamingEnabled || kind != TextKind.ASSISTANT || newText.length() < MIN_SPLIT_LENGTH) {
            return false;
        }
        int splitPoint = MarkdownSplit.findLastSafeSplitPoint(newText);
        if (splitPoint <= 0 || splitPoint >= newText.length()) {
            return false;
        }
        String head = newText.substring(0, splitPoint);
        String tail = newText.substring(splitPoint);
        int counter = b.splitCounters.getOrDefault(id, 0);
        b.splitCounters.put(id, counter + 1);

        Line original = b.get(id);
        String messageId = original instanceof Line.Text text ? text.messageId() : null;
        String commitId = id + "-split-" + counter;
        b.put(kind.newLine(commitId, head, Line.TextPhase.FINISHED, counter > 0, messageId));
        b.insertBefore(commitId, id);
        if (original instanceof Line.Text text) {
            b.put(text.with(tail, text.phase(), true, text.messageId()));
        }
        return true;
    }
}
