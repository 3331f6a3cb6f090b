package dev.lsr.chunklog;

import java.util.Arrays;

/**
 * Writes a {@link Checkpoint} as the same JSON bytes as {@link Json#MAPPER} (fields in declaration
 * order, nulls left out, {@code updated_at} as {@link java.time.Instant#toString()}), without Jackson:
 * the recorder writes one checkpoint per touched run per transaction. Only for plain text (printable
 * ASCII without quote or backslash, which JSON writes as is); anything else is left to Jackson, so the
 * output never differs.
 */
final class CheckpointJson {

    private CheckpointJson() {}

    /** The JSON, or null when a value needs escaping (then Jackson writes it). */
    static byte[] write(Checkpoint checkpoint) {
        Out out = new Out(160);
        out.raw("{\"run_id\":");
        if (!out.string(checkpoint.runId())) {
            return null;
        }
        out.raw(",\"position\":");
        if (!out.string(checkpoint.position())) {
            return null;
        }
        out.raw(",\"state\":");
        out.string(checkpoint.state().name());
        if (checkpoint.agentId() != null) {
            out.raw(",\"agent_id\":");
            if (!out.string(checkpoint.agentId())) {
                return null;
            }
        }
        if (checkpoint.conversationId() != null) {
            out.raw(",\"conversation_id\":");
            if (!out.string(checkpoint.conversationId())) {
                return null;
            }
        }
        if (checkpoint.updatedAt() != null) {
            out.raw(",\"updated_at\":\"");
            out.bytes(IsoInstant.bytes(checkpoint.updatedAt()));
            out.raw("\"");
        }
        out.raw(",\"format_version\":");
        out.raw(Integer.toString(checkpoint.formatVersion()));
        out.raw("}");
        return out.toArray();
    }

    /** A growable byte buffer for ASCII. */
    private static final class Out {
        private byte[] bytes;
        private int size;

        Out(int capacity) {
            bytes = new byte[capacity];
        }

        void raw(String ascii) {
            ensure(ascii.length());
            for (int i = 0; i < ascii.length(); i++) {
                bytes[size++] = (byte) ascii.charAt(i);
            }
        }

        /** Writes {@code "text"}; false (writing nothing useful) when the text is not plain. */
        boolean string(String text) {
            ensure(text.length() + 2);
            bytes[size++] = '"';
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
                    return false;
                }
                bytes[size++] = (byte) c;
            }
            bytes[size++] = '"';
            return true;
        }

        void bytes(byte[] ascii) {
            ensure(ascii.length);
            System.arraycopy(ascii, 0, bytes, size, ascii.length);
            size += ascii.length;
        }

        byte[] toArray() {
            return Arrays.copyOf(bytes, size);
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }
}
