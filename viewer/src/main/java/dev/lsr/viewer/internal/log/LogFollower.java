package dev.lsr.viewer.internal.log;

import dev.lsr.consumer.reader.ChunkLogReader;
import dev.lsr.consumer.reader.ChunkTopicNotFoundException;
import dev.lsr.consumer.reader.RunFilter;
import dev.lsr.viewer.model.RunCatalog;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the catalog current: one thread follows the chunk topic from its beginning (read_committed)
 * and hands every event to the catalog. Until the topic exists it looks again every few seconds (a
 * viewer may start before the first recorder). A record in another partition than its run's is left out, a
 * problem, as on the run pages ({@link RunLayout}). Stopped by {@link #close()}.
 */
public final class LogFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogFollower.class);
    private static final long TOPIC_LOOK_AGAIN_MS = 2000;

    private final LogRuns.LogAccess log;
    private final RunCatalog catalog;
    private final RunLayout layout = new RunLayout();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private volatile ChunkLogReader reader;

    public LogFollower(LogRuns.LogAccess log, RunCatalog catalog) {
        this.log = log;
        this.catalog = catalog;
        this.thread = Thread.ofPlatform().name("viewer-follow").daemon(true).unstarted(this::run);
    }

    /** Where the log's runs' records are, as this follower reads them: the run pages' rule too. */
    RunLayout layout() {
        return layout;
    }

    public LogFollower start() {
        thread.start();
        return this;
    }

    private void run() {
        boolean told = false;
        while (stop.getCount() > 0) {
            try (ChunkLogReader opened = log.open()) {
                reader = opened;
                if (stop.getCount() == 0) {
                    return;
                }
                catalog.following();
                opened.follow(RunFilter.all(), layout.of(opened), catalog, true, catalog::caughtUp);
                return;
            } catch (ChunkTopicNotFoundException e) {
                layout.forget(); // read before the recorder made the log
                if (!told) {
                    LOG.info(
                            "viewer: topic {} does not exist yet; looking again every {} ms",
                            log.topic(),
                            TOPIC_LOOK_AGAIN_MS);
                    told = true;
                }
            } catch (RuntimeException e) {
                LOG.warn("viewer: following {} failed ({}); starting again", log.topic(), e.toString());
            } finally {
                reader = null;
            }
            try {
                if (stop.await(TOPIC_LOOK_AGAIN_MS, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        stop.countDown();
        ChunkLogReader current = reader;
        if (current != null) {
            current.stop();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
