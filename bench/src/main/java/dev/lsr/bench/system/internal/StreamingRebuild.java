package dev.lsr.bench.system.internal;

import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.lettacode.LettaCodeBuffers;
import dev.lsr.consumer.projection.lettacode.LettaCodeProjection;
import dev.lsr.consumer.projection.lettacode.Options;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.reader.ReplayListener;
import dev.lsr.consumer.reader.RunEnd;
import dev.lsr.consumer.reader.RunRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the Letta Code buffers of every run of a replay as each run's log ends: holds the records
 * of the runs in progress only, folds a run when its end arrives, keeps the buffers. In a parallel
 * replay there is one per worker, each with the runs of its partitions.
 */
final class StreamingRebuild implements ReplayListener {

    private final Options options = Options.defaults();
    private final Map<String, List<RunRecord>> inProgress = new HashMap<>();
    private final Map<String, LettaCodeBuffers> rebuilt = new HashMap<>();
    private long chunks;
    private long lines;

    @Override
    public void onEvent(ReplayEvent event) {
        if (event instanceof ReplayEvent.End end) {
            onRunEnd(end.end());
        } else if (event.delivered() != null) {
            inProgress.computeIfAbsent(event.runId(), id -> new ArrayList<>()).add(event.delivered());
        }
    }

    private void onRunEnd(RunEnd end) {
        List<RunRecord> records = inProgress.remove(end.runId());
        List<Chunk> runChunks = records == null
                ? List.of()
                : records.stream().filter(RunRecord::isChunk).map(Chunk::of).toList();
        LettaCodeBuffers buffers = LettaCodeProjection.ofRun(runChunks, options);
        rebuilt.put(end.runId(), buffers);
        chunks += runChunks.size();
        lines += buffers.lines().size();
    }

    /** Runs whose buffers were rebuilt. */
    long runs() {
        return rebuilt.size();
    }

    /** Chunks folded into buffers. */
    long chunks() {
        return chunks;
    }

    /** Lines in all buffers (so the fold's result is used). */
    long lines() {
        return lines;
    }
}
