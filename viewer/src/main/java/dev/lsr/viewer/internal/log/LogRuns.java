package dev.lsr.viewer.internal.log;

import dev.lsr.consumer.reader.ChunkLogReader;
import dev.lsr.consumer.reader.ChunkTopicNotFoundException;
import dev.lsr.consumer.reader.ReplayProgress;
import dev.lsr.consumer.reader.RunFilter;
import dev.lsr.viewer.internal.http.RunSource;
import dev.lsr.viewer.model.RunCatalog;
import dev.lsr.viewer.model.RunView;
import dev.lsr.viewer.model.RunViewFold;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Run pages from the log: a bounded replay of the run (the reader reads only the run's partition),
 * folded into its view. Views are kept for the few runs looked at last and built again only when the
 * catalog says the run changed, so a live page costs one replay per change batch, not per viewer.
 */
public final class LogRuns implements RunSource {

    private static final int CACHED_RUNS = 32;

    private final Supplier<ChunkLogReader> readers;
    private final RunCatalog catalog;
    private final Map<String, Cached> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHED_RUNS;
        }
    };

    private record Cached(long version, RunView view) {}

    public LogRuns(LogAccess log, RunCatalog catalog) {
        this(log::open, catalog);
    }

    LogRuns(Supplier<ChunkLogReader> readers, RunCatalog catalog) {
        this.readers = readers;
        this.catalog = catalog;
    }

    /**
     * The run's view; empty for a run not in the log, without reading the log once the catalog knows every run (a
     * link to a run that is not there, a typo, a crawler: each read the run's whole partition before).
     */
    @Override
    public Optional<RunView> view(String runId) {
        if (catalog.knownAbsent(runId)) {
            return Optional.empty();
        }
        long version = catalog.versionOf(runId);
        synchronized (cache) {
            Cached cached = cache.get(runId);
            if (cached != null && cached.version() == version && version >= 0) {
                return Optional.of(cached.view());
            }
        }
        RunViewFold fold = new RunViewFold();
        try (ChunkLogReader reader = readers.get()) {
            reader.replay(RunFilter.run(runId), fold, ReplayProgress.NONE);
        } catch (ChunkTopicNotFoundException e) {
            return Optional.empty();
        }
        RunView view = fold.view();
        if (view.summary().runId() == null) {
            return Optional.empty();
        }
        synchronized (cache) {
            cache.put(runId, new Cached(version, view));
        }
        return Optional.of(view);
    }

    /** How to open a reader on the chunk topic. */
    public record LogAccess(Map<String, Object> clientProperties, String topic, Duration timeout) {

        public LogAccess {
            clientProperties = Map.copyOf(clientProperties);
        }

        ChunkLogReader open() {
            return ChunkLogReader.open(clientProperties, topic, timeout);
        }

        @Override
        public String toString() {
            return "LogAccess[topic=" + topic + "]"; // client properties may hold credentials
        }
    }
}
