package dev.lsr.consumer.projection.lettacode.internal;

import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.RunLogEntry;
import dev.lsr.consumer.projection.internal.PositionTracker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups log entries into one drain per run, in the order the runs first appear: the log holds each
 * position once, so a run's chunks are replayed as one uninterrupted drain (which, as the resume property
 * shows, is what a client with resumes builds too). Duplicated positions are dropped, keepalive pings kept.
 */
public final class RecordedRuns {

    /** The chunks of one run, and whether the recorder wrote a terminal record for it. */
    public record RunDrain(String runId, List<Chunk> chunks, boolean terminated) {
    }

    private RecordedRuns() {
    }

    public static List<RunDrain> drains(List<RunLogEntry> entries) {
        Map<String, List<Chunk>> chunksByRun = new LinkedHashMap<>();
        Map<String, PositionTracker> trackers = new HashMap<>();
        Map<String, Boolean> terminated = new HashMap<>();
        for (RunLogEntry entry : entries) {
            String runId = entry.runId() != null ? entry.runId() : "";
            switch (entry) {
                case RunLogEntry.ChunkEntry chunk -> {
                    PositionTracker tracker = trackers.computeIfAbsent(runId, k -> new PositionTracker());
                    if (tracker.observe(chunk).kind() != PositionTracker.Kind.DUPLICATE) {
                        chunksByRun.computeIfAbsent(runId, k -> new ArrayList<>()).add(chunk.chunk());
                    }
                }
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
        chunksByRun.forEach((runId, chunks) -> drains.add(new RunDrain(runId, List.copyOf(chunks),
                terminated.getOrDefault(runId, false))));
        return drains;
    }
}
