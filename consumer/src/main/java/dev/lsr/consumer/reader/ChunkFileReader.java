package dev.lsr.consumer.reader;

import dev.lsr.consumer.reader.internal.ByteLines;
import dev.lsr.consumer.reader.internal.ChunkLineImporter;
import dev.lsr.consumer.reader.internal.Counters;
import dev.lsr.consumer.reader.internal.Decoded;
import dev.lsr.consumer.reader.internal.ReplayPipeline;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Replays exported chunk files (JSONL, one chunk per line, as {@code consumer export} writes and as
 * the fixtures are) with no Kafka, through the same filter, deduplication and gap rules as a log
 * replay. Several files are read in order as successive drains of the same runs: a record's
 * {@link LogLocation#source()} names its file, so a projection can tell the drains apart.
 */
public final class ChunkFileReader {

    private ChunkFileReader() {}

    /**
     * Reads the files in order; bad lines (a line that is no UTF-8 included) are reported to the listener and
     * skipped.
     *
     * @throws IOException when a file cannot be read at all
     */
    public static ReplayStats read(List<Path> files, RunFilter filter, ReplayListener listener) throws IOException {
        Counters counters = new Counters();
        ReplayPipeline pipeline = new ReplayPipeline(filter, listener, counters);
        ChunkLineImporter importer = new ChunkLineImporter();
        for (Path file : files) {
            importer.startFile(file.toString());
            try (InputStream in = Files.newInputStream(file)) {
                ByteLines lines = new ByteLines(in);
                long lineNumber = 0;
                for (byte[] line = lines.next(); line != null; line = lines.next()) {
                    lineNumber++;
                    Decoded decoded = importer.importLine(line, LogLocation.fileLine(file.toString(), lineNumber));
                    if (decoded != null) {
                        counters.countRecord();
                        pipeline.accept(decoded);
                    }
                }
            }
        }
        pipeline.finish();
        return counters.snapshot();
    }
}
