package dev.lsr.recorder.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.sim.LettaSim;
import dev.lsr.sim.StoredFrame;
import java.util.ArrayList;
import java.util.List;

/** What letta-sim stored for a run, as the chunk payloads a reader gets ({@code [DONE]} left out). */
public final class SimFrames {

    private SimFrames() {}

    /** The payloads as bytes, exactly as served (also for frames that are not valid UTF-8). */
    public static List<byte[]> payloadBytes(LettaSim sim, String runId) {
        List<byte[]> payloads = new ArrayList<>();
        for (StoredFrame frame : sim.storedFrames(runId)) {
            byte[] served = frame.servedBytes();
            int start = indexOf(served, "data: ".getBytes(UTF_8)) + "data: ".length();
            byte[] payload = java.util.Arrays.copyOfRange(served, start, served.length - 2);
            if (!new String(payload, UTF_8).startsWith("[DONE]")) {
                payloads.add(payload);
            }
        }
        return payloads;
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("no data field");
    }

    public static List<String> payloads(LettaSim sim, String runId) {
        List<String> payloads = new ArrayList<>();
        for (StoredFrame frame : sim.storedFrames(runId)) {
            String text = new String(frame.servedBytes(), UTF_8);
            int data = text.indexOf("data: ");
            String payload = text.substring(data + "data: ".length(), text.length() - 2);
            if (!payload.startsWith("[DONE]")) {
                payloads.add(payload);
            }
        }
        return payloads;
    }
}
