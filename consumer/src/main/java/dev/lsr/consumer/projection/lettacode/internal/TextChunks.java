package dev.lsr.consumer.projection.lettacode.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.consumer.projection.internal.Content;
import dev.lsr.consumer.projection.internal.Js;
import dev.lsr.consumer.projection.lettacode.Line;

/**
 * {@code reasoning_message} and {@code assistant_message}: resolve the line id, transition, append the
 * delta (reasoning normalized), count its UTF-8 bytes; an empty delta only refreshes the message id.
 */
final class TextChunks {

    private TextChunks() {}

    static void onText(Buffers b, JsonNode chunk, TextKind kind) {
        TextAliases aliases = kind == TextKind.REASONING ? b.reasoningAliases : b.assistantAliases;
        String id = aliases.resolve(b, chunk);
        if (id == null) {
            return;
        }
        LineLifecycle.handleOtidTransition(b, id);

        String delta = kind == TextKind.REASONING ? Js.string(chunk, "reasoning") : Content.text(chunk.get("content"));
        String messageId = Js.string(chunk, "id");
        Line existing = b.ensure(id, () -> kind.newLine(id, "", Line.TextPhase.STREAMING, null, messageId));
        if (!(existing instanceof Line.Text line) || !kind.isKindOf(existing)) {
            return;
        }
        if (Js.truthy(delta)) {
            String joined = line.text() + delta;
            String newText = kind == TextKind.REASONING ? ReasoningText.normalizeSectionBoundaries(joined) : joined;
            b.tokenCount += Js.utf8Length(delta);
            if (!ContentSplitter.trySplit(b, id, kind, newText)) {
                b.put(line.with(
                        newText,
                        line.phase(),
                        line.isContinuation(),
                        messageId != null ? messageId : line.messageId()));
            }
        } else if (Js.truthy(messageId) && !messageId.equals(line.messageId())) {
            b.put(line.with(line.text(), line.phase(), line.isContinuation(), messageId));
        }
    }
}
