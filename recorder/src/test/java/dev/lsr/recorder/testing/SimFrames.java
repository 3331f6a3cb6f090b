package dev.lsr.recorder.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.sim.LettaSim;
import dev.lsr.sim.StoredFrame;
import java.util.ArrayList;
import java.util.List;

/** What letta-sim stored for a run, as the chunk payloads a reader gets ({@code [DONE]} left out). */
public final class SimFrames {

    private SimFrames() {
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
