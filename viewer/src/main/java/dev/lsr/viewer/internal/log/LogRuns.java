package dev.lsr.viewer.internal.log;

import dev.lsr.consumer.reader.ChunkLogReader;
import dev.lsr.consumer.reader.ChunkTopicNotFoundException;
import dev.lsr.consumer.reader.ReplayProgress;
import dev.lsr.consumer.reader.RunFilter;
import dev.lsr.viewer.internal.http.RunSource;
import dev.lsr.viewer.internal.http.ViewerBusyException;
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
 * catalog says the run changed, so a live page costs one replay per change batch, not per viewer; requests for a
 * run whose view is being built wait for that build instead of replaying the run again each, and at most
 * {@link #CONCURRENT_BUILDS} runs are replayed at once (a crawler following every link waits its turn).
 */
public final class LogRuns implements RunSource {

    private static final int CACHED_RUNS = 32;
    /** How many runs are replayed at once; more requests wait for a turn, at most {@link #TURN_WAIT}. */
    static final int CONCURRENT_BUILDS = 4;

    static final Duration TURN_WAIT = Duration.ofSeconds(10);

    private final java.util.concurrent.Semaphore turns = new java.util.concurrent.Semaphore(CONCURRENT_BUILDS, true);

    private final Supplier<ChunkLogReader> readers;
    /** Where runs' records are: the follower's too ({@link RunLayout}). */
    private final RunLayout layout;

    private final RunCatalog catalog;
    private final Map<String, Cached> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHED_RUNS;
        }
    };

    private record Cached(long version, RunView view) {}

    /** A view being built, which later requests for the same run and version wait for (guarded by the cache). */
    private final Map<String, Building> building = new java.util.HashMap<>();

    private record Building(long version, java.util.concurrent.CompletableFuture<Optional<RunView>> view) {}

    /** The run pages of {@code log}; {@code follower} keeps {@code catalog} and knows the log's layout. */
    public LogRuns(LogAccess log, RunCatalog catalog, LogFollower follower) {
        this(log::open, catalog, follower.layout());
    }

    LogRuns(Supplier<ChunkLogReader> readers, RunCatalog catalog) {
        this(readers, catalog, new RunLayout());
    }

    private LogRuns(Supplier<ChunkLogReader> readers, RunCatalog catalog, RunLayout layout) {
        this.readers = readers;
        this.catalog = catalog;
        this.layout = layout;
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
        Building mine;
        Building other;
        synchronized (cache) {
            Cached cached = cache.get(runId);
            if (cached != null && cached.version() == version && version >= 0) {
                return Optional.of(cached.view());
            }
            other = building.get(runId);
            mine = other != null && other.version() == version
                    ? null
                    : new Building(version, new java.util.concurrent.CompletableFuture<>());
            if (mine != null) {
                building.put(runId, mine);
            }
        }
        if (mine == null) {
            return awaitBuilt(other); // outside the lock: the build takes it to finish
        }
        try {
            Optional<RunView> view = buildInTurn(runId, version);
            mine.view().complete(view);
            return view;
        } catch (RuntimeException | Error e) {
            mine.view().completeExceptionally(e);
            throw e;
        } finally {
            synchronized (cache) {
                building.remove(runId, mine);
            }
        }
    }

    private static Optional<RunView> awaitBuilt(Building other) {
        try {
            return other.view().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    /** {@link #build}, once fewer than {@link #CONCURRENT_BUILDS} other runs are being replayed. */
    private Optional<RunView> buildInTurn(String runId, long version) {
        try {
            if (!turns.tryAcquire(TURN_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new ViewerBusyException("waited " + TURN_WAIT.toSeconds() + " s for a turn to read run " + runId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ViewerBusyException("interrupted while waiting for a turn to read run " + runId);
        }
        try {
            return build(runId, version);
        } finally {
            turns.release();
        }
    }

    private Optional<RunView> build(String runId, long version) {
        RunViewFold fold = new RunViewFold();
        try (ChunkLogReader reader = readers.get()) {
            // the run's partition by the log's layout, as the recorder wrote it (the topic may have grown since)
            reader.replay(RunFilter.run(runId), layout.of(reader), fold, ReplayProgress.NONE);
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
