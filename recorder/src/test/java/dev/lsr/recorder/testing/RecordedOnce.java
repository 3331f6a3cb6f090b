package dev.lsr.recorder.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.RecordType;
import dev.lsr.sim.LettaSim;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The check a test of many runs ends with: each run attached once, and its chunks exactly what letta-sim served. */
public final class RecordedOnce {

    private RecordedOnce() {}

    /** The runs not recorded exactly once, each with what the log holds of it; empty when all are. */
    public static List<String> wrong(CommittedLog log, LettaSim sim, Collection<String> runIds) {
        Map<String, List<ChunkLogRecord>> byRun = log.catchUp().byRun();
        List<String> wrong = new ArrayList<>();
        for (String runId : runIds) {
            List<ChunkLogRecord> records = byRun.getOrDefault(runId, List.of());
            long attached = records.stream()
                    .filter(r -> r.type() == RecordType.RUN_ATTACHED)
                    .count();
            List<String> chunks = records.stream()
                    .filter(r -> r.type() == RecordType.CHUNK)
                    .map(r -> new String(r.value(), UTF_8))
                    .toList();
            if (attached != 1 || !chunks.equals(SimFrames.payloads(sim, runId))) {
                wrong.add(runId + " (attached " + attached + "x, " + chunks.size() + " chunks)");
            }
        }
        return wrong;
    }
}
