package dev.lsr.consumer.projection.lettacode.internal;

import dev.lsr.chunklog.RunSequencer;
import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.RunLogEntry;
import dev.lsr.consumer.projection.internal.LogOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups log entries into one drain per run, in the order the runs first appear: the log holds each
 * position once, so a run's chunks are replayed as one uninterrupted drain (which, as the resume property
 * shows, is what a client with resumes builds too). Repeats (chunk-log's {@link RunSequencer}) are dropped, keepalive pings kept.
 */
public final class RecordedRuns {

    /** The chunks of one run, and whether the recorder wrote a terminal record for it. */
    public record RunDrain(String runId, List<Chunk> chunks, boolean terminated) {}

    private RecordedRuns() {}

    public static List<RunDrain> drains(List<RunLogEntry> entries) {
        Map<String, List<Chunk>> chunksByRun = new LinkedHashMap<>();
        Map<String, RunSequencer> sequencers = new HashMap<>();
        Map<String, Boolean> terminated = new HashMap<>();
        for (RunLogEntry entry : entries) {
            String runId = entry.runId() != null ? entry.runId() : "";
            RunSequencer.Verdict verdict =
                    LogOrder.accept(sequencers.computeIfAbsent(runId, k -> new RunSequencer()), entry);
            if (verdict == RunSequencer.Verdict.DUPLICATE) {
                continue;
            }
            switch (entry) {
                case RunLogEntry.ChunkEntry chunk ->
                    chunksByRun.computeIfAbsent(runId, k -> new ArrayList<>()).add(chunk.chunk());
                case RunLogEntry.LifecycleEntry lifecycle -> {
                    chunksByRun.computeIfAbsent(runId, k -> new ArrayList<>());
                    if (lifecycle.type().isTerminal()) {
                        terminated.put(runId, true);
                    }
                }
                case RunLogEntry.UnreadableEntry unreadable -> {
                    // counted by the transcript and summary; nothing a client would have seen
                }
            }
        }
        List<RunDrain> drains = new ArrayList<>();
        chunksByRun.forEach((runId, chunks) ->
                drains.add(new RunDrain(runId, List.copyOf(chunks), terminated.getOrDefault(runId, false))));
        return drains;
    }
}
