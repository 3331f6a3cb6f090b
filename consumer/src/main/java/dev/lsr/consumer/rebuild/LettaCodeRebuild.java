package dev.lsr.consumer.rebuild;

import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.RunLogEntry;
import dev.lsr.consumer.projection.lettacode.LettaCodeBuffers;
import dev.lsr.consumer.projection.lettacode.LettaCodeProjection;
import dev.lsr.consumer.projection.lettacode.Options;
import dev.lsr.consumer.reader.RunRecord;
import dev.lsr.consumer.reader.RunReplay;
import java.util.List;

/**
 * Feeds what the reader read into the Letta Code projection: one run's deduplicated log is one
 * uninterrupted drain; a conversation is its runs in order, one drain each, into one buffer; chunk
 * files are one drain per file and run (new chunks only: what a file repeats was dropped by the
 * reader, and a file that adds nothing is no drain).
 */
public final class LettaCodeRebuild {

    private LettaCodeRebuild() {}

    /** The chunk as the projections read it: its exact bytes and the SSE event it arrived with. */
    public static Chunk chunkOf(RunRecord record) {
        String sseEvent = record.record().envelope().sseEvent();
        return record.json() != null
                ? new Chunk(record.json(), sseEvent)
                : Chunk.parse(record.record().value(), sseEvent);
    }

    public static List<Chunk> chunksOf(List<RunRecord> records) {
        return records.stream()
                .filter(RunRecord::isChunk)
                .map(LettaCodeRebuild::chunkOf)
                .toList();
    }

    /**
     * The runs, in the given order, each as one drain into one session
     * ({@link LettaCodeProjection#ofEntries}: a run the recorder saw end without a stop reason is
     * not waiting for a resume any more). Chunks are read from the trees the reader parsed, not
     * parsed again.
     */
    public static LettaCodeBuffers ofRuns(List<RunReplay> runs, Options options) {
        List<RunLogEntry> entries = runs.stream()
                .flatMap(run -> run.records().stream())
                .map(ProjectionEntries::of)
                .toList();
        return LettaCodeProjection.ofEntries(entries, options);
    }

    /** Drains in order (e.g. from {@link DrainCollector}), into one session. */
    public static LettaCodeBuffers ofDrains(List<List<RunRecord>> drains, Options options) {
        LettaCodeBuffers buffers = LettaCodeProjection.newSession(options);
        drains.forEach(drain -> drainIfAny(buffers, drain));
        return buffers;
    }

    private static void drainIfAny(LettaCodeBuffers buffers, List<RunRecord> records) {
        List<Chunk> chunks = chunksOf(records);
        if (!chunks.isEmpty()) {
            buffers.drain(chunks);
        }
    }
}
