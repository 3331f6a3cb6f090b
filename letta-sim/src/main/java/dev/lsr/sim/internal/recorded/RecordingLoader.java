package dev.lsr.sim.internal.recorded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads recordings and picks one per run id. Several recordings of one run (the whole run and the
 * partial connections a client made to it, e.g. fixtures 05, 07a and 07b) collapse to the one with
 * the most value: a complete recording first, then the most timeline entries, then an SSE body over
 * a chunk file. The others are logged as partial connections (or duplicates) of that run.
 */
public final class RecordingLoader {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingLoader.class);

    private static final Comparator<Recording> BEST = Comparator.comparing(Recording::isComplete)
            .thenComparingInt(Recording::entryCount)
            .thenComparing(Recording::fromSse);

    private RecordingLoader() {}

    /** All {@code *.sse} and {@code *.jsonl} files under a directory (recursively), in path order. */
    public static List<RecordingSource> scan(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            List<RecordingSource> sources = new ArrayList<>();
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".sse") || name.endsWith(".jsonl")) {
                    sources.add(new RecordingSource(
                            directory.relativize(file).toString(), Files.readAllBytes(file), name.endsWith(".sse")));
                }
            }
            return sources;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read recorded runs from " + directory, e);
        }
    }

    /** Parses all sources and returns one recording per run id, in first-seen order. */
    public static List<Recording> select(List<RecordingSource> sources) {
        Map<String, List<Recording>> byRun = new LinkedHashMap<>();
        for (RecordingSource source : sources) {
            Recording recording = source.parse();
            byRun.computeIfAbsent(recording.runId(), id -> new ArrayList<>()).add(recording);
        }
        List<Recording> chosen = new ArrayList<>();
        for (Map.Entry<String, List<Recording>> entry : byRun.entrySet()) {
            Recording best = entry.getValue().stream().max(BEST).orElseThrow();
            chosen.add(best);
            for (Recording other : entry.getValue()) {
                if (other != best) {
                    LOG.info(
                            "run {}: serving {} ({} entries, complete={}); {} ({} entries) is {} of the same run",
                            entry.getKey(),
                            best.source(),
                            best.entryCount(),
                            best.isComplete(),
                            other.source(),
                            other.entryCount(),
                            other.isComplete() ? "a duplicate recording" : "a partial connection");
                }
            }
            if (!best.isComplete()) {
                LOG.warn(
                        "run {}: only partial recordings ({}); it is served as far as recorded and stays running",
                        entry.getKey(),
                        best.source());
            }
        }
        return chosen;
    }
}
