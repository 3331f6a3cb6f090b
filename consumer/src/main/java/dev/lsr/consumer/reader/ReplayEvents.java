package dev.lsr.consumer.reader;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.consumer.reader.internal.ChunkLineImporter;
import dev.lsr.consumer.reader.internal.Counters;
import dev.lsr.consumer.reader.internal.Decoded;
import dev.lsr.consumer.reader.internal.RecordDecoder;
import dev.lsr.consumer.reader.internal.ReplayPipeline;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounded replay of chunk-log records already in memory (tests, tools, a run's records handed
 * over whole), through the same decoding, deduplication, gap and end rules as a replay of the topic.
 */
public final class ReplayEvents {

    /** The source named by the locations of records replayed from memory. */
    public static final String IN_MEMORY = "records";

    private ReplayEvents() {}

    /** The events of the records, in order; record {@code i} is read at {@code records-0@i}. */
    public static List<ReplayEvent> of(List<ChunkLogRecord> records) {
        List<ReplayEvent> events = new ArrayList<>(records.size() + 1);
        replay(records, events::add);
        return events;
    }

    /**
     * The events of chunk lines (one chunk per line, as in an exported file or a fixture) read as one
     * chunk file named {@value #IN_MEMORY} would be read by {@link ChunkFileReader}.
     */
    public static List<ReplayEvent> ofChunkLines(List<String> lines) {
        List<ReplayEvent> events = new ArrayList<>(lines.size() + 1);
        Counters counters = new Counters();
        ReplayPipeline pipeline = new ReplayPipeline(RunFilter.all(), events::add, counters);
        ChunkLineImporter importer = new ChunkLineImporter();
        importer.startFile(IN_MEMORY);
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                Decoded decoded = importer.importLine(lines.get(i), LogLocation.fileLine(IN_MEMORY, i + 1));
                if (decoded != null) {
                    pipeline.accept(decoded);
                }
            }
        }
        pipeline.finish();
        return events;
    }

    /** Replays the records, in order, to the listener. */
    public static ReplayStats replay(List<ChunkLogRecord> records, ReplayListener listener) {
        Counters counters = new Counters();
        ReplayPipeline pipeline = new ReplayPipeline(RunFilter.all(), listener, counters);
        for (int i = 0; i < records.size(); i++) {
            counters.countRecord();
            pipeline.accept(RecordDecoder.decode(records.get(i), LogLocation.kafka(IN_MEMORY, 0, i)));
        }
        pipeline.finish();
        return counters.snapshot();
    }
}
