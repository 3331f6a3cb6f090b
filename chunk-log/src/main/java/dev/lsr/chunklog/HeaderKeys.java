package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Finds which of a set of header names a header has without making its name a {@code String}.
 *
 * <p>A consumed record's headers are Kafka {@link RecordHeader}s that keep the name as bytes of the
 * fetched batch until {@link Header#key()} is first called, which then decodes it into a new
 * {@code String} (under a lock). A reader that wants 10 of 12 headers would make 12 strings per record
 * only to compare them; here the name bytes are compared directly. Kafka offers no public access to
 * them, so they are read through a {@link VarHandle} on {@code RecordHeader}'s private field; if that
 * field is not there (another Kafka version), is already decoded, or the header is another kind, the
 * name is compared as a {@code String} as before. The result is the same either way.
 */
final class HeaderKeys {

    private static final VarHandle KEY_BUFFER = keyBufferHandle();

    private final byte[][] names;
    private final String[] nameStrings;

    /** @param names the names to look for; a header's slot is its name's index here */
    HeaderKeys(String... names) {
        this.nameStrings = names.clone();
        this.names = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            this.names[i] = names[i].getBytes(UTF_8);
        }
    }

    /** The index of the header's name among the names, or -1. */
    int slotOf(Header header) {
        ByteBuffer key = header instanceof RecordHeader && KEY_BUFFER != null
                ? (ByteBuffer) KEY_BUFFER.get((RecordHeader) header)
                : null;
        return key != null ? slotOf(key) : slotOf(header.key());
    }

    private int slotOf(ByteBuffer key) {
        int length = key.remaining();
        int start = key.position();
        for (int slot = 0; slot < names.length; slot++) {
            byte[] name = names[slot];
            if (name.length == length && equal(key, start, name)) {
                return slot;
            }
        }
        return -1;
    }

    private static boolean equal(ByteBuffer key, int start, byte[] name) {
        if (key.hasArray()) {
            int from = key.arrayOffset() + start;
            return Arrays.equals(key.array(), from, from + name.length, name, 0, name.length);
        }
        for (int i = name.length - 1; i >= 0; i--) {
            if (key.get(start + i) != name[i]) {
                return false;
            }
        }
        return true;
    }

    private int slotOf(String key) {
        for (int slot = 0; slot < nameStrings.length; slot++) {
            if (nameStrings[slot].equals(key)) {
                return slot;
            }
        }
        return -1;
    }

    /** True when names are compared as bytes (tests check the fast path is really taken). */
    static boolean comparesBytes() {
        return KEY_BUFFER != null;
    }

    private static VarHandle keyBufferHandle() {
        try {
            return MethodHandles.privateLookupIn(RecordHeader.class, MethodHandles.lookup())
                    .findVarHandle(RecordHeader.class, "keyBuffer", ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
