package dev.lsr.consumer.projection.lettacode.internal;

/**
 * Letta Code's {@code markdown-split.ts} (ported from Gemini CLI): where streaming markdown can be cut
 * so the head is self-contained. Fences are counted as raw {@code ```} occurrences.
 */
final class MarkdownSplit {

    private static final String FENCE = "```";

    private MarkdownSplit() {}

    /**
     * The last safe split point: before an unclosed fence that encloses the end, else right after the
     * last {@code \n\n} outside a fence; {@code content.length()} when there is none (do not split).
     */
    static int findLastSafeSplitPoint(String content) {
        int enclosingBlockStart = findEnclosingCodeBlockStart(content, content.length());
        if (enclosingBlockStart != -1) {
            return enclosingBlockStart;
        }
        int searchStart = content.length();
        while (searchStart >= 0) {
            int doubleNewline = content.lastIndexOf("\n\n", searchStart);
            if (doubleNewline == -1) {
                break;
            }
            int splitPoint = doubleNewline + 2;
            if (!isIndexInsideCodeBlock(content, splitPoint)) {
                return splitPoint;
            }
            searchStart = doubleNewline - 1;
        }
        return content.length();
    }

    static boolean isIndexInsideCodeBlock(String content, int index) {
        int fences = 0;
        int searchPos = 0;
        while (searchPos < content.length()) {
            int next = content.indexOf(FENCE, searchPos);
            if (next == -1 || next >= index) {
                break;
            }
            fences++;
            searchPos = next + 3;
        }
        return fences % 2 == 1;
    }

    static int findEnclosingCodeBlockStart(String content, int index) {
        if (!isIndexInsideCodeBlock(content, index)) {
            return -1;
        }
        int searchPos = 0;
        while (searchPos < index) {
            int blockStart = content.indexOf(FENCE, searchPos);
            if (blockStart == -1 || blockStart >= index) {
                break;
            }
            int blockEnd = content.indexOf(FENCE, blockStart + 3);
            if (blockEnd == -1 || index < blockEnd + 3) {
                return blockStart;
            }
            searchPos = blockEnd + 3;
        }
        return -1;
    }
}
