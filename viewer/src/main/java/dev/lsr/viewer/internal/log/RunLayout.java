package dev.lsr.viewer.internal.log;

import dev.lsr.consumer.reader.ChunkLogReader;
import dev.lsr.consumer.reader.RunPartitions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the log's runs' records are ({@link RunPartitions}), for the follower's catalog and the run pages alike: a
 * record in another partition than its run's is a problem, not part of the run, in both. Read from the log's layout
 * record once (it never changes); {@link RunPartitions#UNKNOWN} without one, or with one that cannot be read (one
 * WARN): every record is then read where it is.
 */
final class RunLayout {

    private static final Logger log = LoggerFactory.getLogger(RunLayout.class);

    /** The layout once read; null before. */
    private volatile RunPartitions known;

    /** The log's layout, read with {@code reader} the first time. */
    RunPartitions of(ChunkLogReader reader) {
        RunPartitions layout = known;
        if (layout != null) {
            return layout;
        }
        try {
            layout = reader.runPartitions();
        } catch (RunPartitions.UnreadableLayoutException e) {
            log.warn("{}; every record is read where it is", e.getMessage());
            layout = RunPartitions.UNKNOWN;
        }
        known = layout;
        return layout;
    }

    /**
     * Reads the layout again next time: what was read came before the log was there (a viewer started before the
     * first recorder, which writes the layout record when it creates the log).
     */
    void forget() {
        known = null;
    }
}
