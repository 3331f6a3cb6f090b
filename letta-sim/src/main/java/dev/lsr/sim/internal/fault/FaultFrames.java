package dev.lsr.sim.internal.fault;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.sim.FrameFault;
import dev.lsr.sim.internal.producer.ScriptEntry;
import dev.lsr.sim.internal.store.FrameKind;
import dev.lsr.sim.internal.store.FrameSpec;
import dev.lsr.sim.internal.store.WireTime;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Builds the bad frames of {@link FrameFault}s and inserts them into a generated run's script as
 * stored frames: the fault frame becomes the {@code position}-th stored frame (taking that seq), or
 * goes just before the terminal frames when the run is shorter.
 */
public final class FaultFrames {

    private FaultFrames() {}

    /** The script with the fault frames inserted. */
    public static List<ScriptEntry> insert(
            List<ScriptEntry> script, List<FrameFault> faults, String runId, Instant date) {
        if (faults.isEmpty()) {
            return script;
        }
        List<ScriptEntry> result = new ArrayList<>(script);
        for (FrameFault fault : faults.stream()
                .sorted(Comparator.comparingInt(FrameFault::position))
                .toList()) {
            result.add(indexOfStored(result, fault.position()), new ScriptEntry.Frame(frameFor(fault, runId, date)));
        }
        return result;
    }

    private static int indexOfStored(List<ScriptEntry> script, int position) {
        int stored = 0;
        int lastNonTerminal = 0;
        for (int i = 0; i < script.size(); i++) {
            if (script.get(i) instanceof ScriptEntry.Frame frame) {
                stored++;
                if (stored == position) {
                    return i;
                }
                FrameKind kind = frame.spec().kind();
                if (kind != FrameKind.STOP_REASON
                        && kind != FrameKind.USAGE
                        && kind != FrameKind.DONE
                        && kind != FrameKind.ERROR) {
                    lastNonTerminal = i + 1;
                }
            }
        }
        return lastNonTerminal;
    }

    /** The frame a fault stores. */
    public static FrameSpec frameFor(FrameFault fault, String runId, Instant date) {
        return switch (fault) {
            case FrameFault.Malformed m ->
                new FrameSpec(
                        "data: {\"message_type\":\"assistant_message\",\"content\":\"this frame is not JSON\n\n"
                                .getBytes(UTF_8),
                        FrameKind.OTHER,
                        null,
                        null,
                        false);
            case FrameFault.Oversized o ->
                new FrameSpec(oversized(runId, o.sizeBytes(), date), FrameKind.MESSAGE, null, null, false);
            case FrameFault.InvalidUtf8 u ->
                new FrameSpec(invalidUtf8(runId, date), FrameKind.MESSAGE, null, null, false);
        };
    }

    private static String prefix(String id, Instant date) {
        String uuid = UUID.nameUUIDFromBytes(id.getBytes(UTF_8)).toString();
        return "data: {\"id\":\"message-" + uuid + "\",\"date\":\"" + WireTime.chunkDate(date) + "\",\"name\":null,"
                + "\"message_type\":\"assistant_message\",\"otid\":\"" + uuid.substring(0, 34) + "00\","
                + "\"sender_id\":null,\"step_id\":null,\"is_err\":null,\"seq_id\":null,\"run_id\":null,\"content\":\"";
    }

    private static byte[] oversized(String runId, int sizeBytes, Instant date) {
        String head = prefix(runId + "/oversized", date);
        String tail = "\"}\n\n";
        int fill = Math.max(0, sizeBytes - head.length() - tail.length());
        StringBuilder text = new StringBuilder(sizeBytes).append(head);
        for (int i = 0; i < fill; i++) {
            text.append((char) ('a' + i % 26));
        }
        return text.append(tail).toString().getBytes(UTF_8);
    }

    private static byte[] invalidUtf8(String runId, Instant date) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix(runId + "/invalid-utf8", date).getBytes(UTF_8));
        out.writeBytes("bad bytes: ".getBytes(UTF_8));
        out.writeBytes(
                new byte[] {(byte) 0xC3, (byte) 0x28, ' ', (byte) 0xFF, ' ', (byte) 0xED, (byte) 0xA0, (byte) 0x80});
        out.writeBytes("\"}\n\n".getBytes(UTF_8));
        return out.toByteArray();
    }
}
