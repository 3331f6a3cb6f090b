package dev.lsr.consumer.projection.lettacode.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.consumer.projection.internal.Js;
import dev.lsr.consumer.projection.lettacode.Line;
import java.util.HashMap;
import java.util.Map;

/**
 * Line id resolution for one text kind (Letta Code's {@code resolveAssistantLineId} /
 * {@code resolveReasoningLineId}): two alias maps, message id to line and otid to line, keep the deltas of
 * one content block on one line when chunks carry only an id, only an otid, or both.
 */
final class TextAliases {

    private final TextKind kind;
    private final Map<String, String> canonicalByMessageId = new HashMap<>();
    private final Map<String, String> canonicalByOtid = new HashMap<>();

    TextAliases(TextKind kind) {
        this.kind = kind;
    }

    /** The line id for a chunk of this kind, or null when it has neither id nor otid. */
    String resolve(Buffers b, JsonNode chunk) {
        String messageId = Js.truthyString(chunk, "id");
        String otid = Js.truthyString(chunk, "otid");
        String fromMessageId = messageId != null ? canonicalByMessageId.get(messageId) : null;
        String fromOtid = otid != null ? canonicalByOtid.get(otid) : null;

        String canonical = firstNonNull(fromMessageId, fromOtid, messageId, otid);
        if (canonical == null) {
            return null;
        }
        if (otid != null && fromOtid == null && fromMessageId != null && startsNewBlock(b, fromMessageId, otid)) {
            canonical = otid;
        }
        if (fromMessageId != null && fromOtid != null && !fromMessageId.equals(fromOtid)) {
            boolean messageLineExists = b.has(fromMessageId);
            boolean otidLineExists = b.has(fromOtid);
            canonical = otidLineExists && !messageLineExists ? fromOtid : fromMessageId;
        }
        if (messageId != null) {
            canonicalByMessageId.put(messageId, canonical);
        }
        if (otid != null) {
            canonicalByOtid.put(otid, canonical);
        }
        String lineId = lineIdFor(b, canonical);
        if (!lineId.equals(canonical)) {
            if (messageId != null) {
                canonicalByMessageId.put(messageId, lineId);
            }
            if (otid != null) {
                canonicalByOtid.put(otid, lineId);
            }
        }
        return lineId;
    }

    /**
     * A new otid whose message id already maps to a line of this kind starts a new line when that line is
     * finished, or when another otid already maps to it (a second block of the same kind in one step).
     */
    private boolean startsNewBlock(Buffers b, String canonicalFromMessageId, String otid) {
        Line existing = b.get(lineIdFor(b, canonicalFromMessageId));
        if (existing == null || !kind.isKindOf(existing)) {
            return false;
        }
        boolean finished = ((Line.Text) existing).phase() == Line.TextPhase.FINISHED;
        return finished || hasOtherOtidAlias(canonicalFromMessageId, otid);
    }

    private boolean hasOtherOtidAlias(String canonical, String otid) {
        for (Map.Entry<String, String> alias : canonicalByOtid.entrySet()) {
            if (alias.getValue().equals(canonical) && !alias.getKey().equals(otid)) {
                return true;
            }
        }
        return false;
    }

    /** The id itself, or {@code "<kind>:" + id} when a line of another kind already owns it. */
    private String lineIdFor(Buffers b, String canonical) {
        Line existing = b.get(canonical);
        if (existing == null || kind.isKindOf(existing)) {
            return canonical;
        }
        return kind.wireName() + ":" + canonical;
    }

    private static String firstNonNull(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }
}
