package dev.lsr.consumer.projection.lettacode.internal;

import dev.lsr.consumer.projection.lettacode.Line;

/** The two text line kinds, each with its own alias maps and id prefix on collision. */
enum TextKind {
    REASONING("reasoning"),
    ASSISTANT("assistant");

    private final String wireName;

    TextKind(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    boolean isKindOf(Line line) {
        return this == REASONING ? line instanceof Line.Reasoning : line instanceof Line.Assistant;
    }

    Line.Text newLine(String id, String text, Line.TextPhase phase, Boolean isContinuation, String messageId) {
        return this == REASONING
                ? new Line.Reasoning(id, text, phase, isContinuation, messageId)
                : new Line.Assistant(id, text, phase, isContinuation, messageId);
    }
}
