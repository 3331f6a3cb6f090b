package dev.lsr.recorder.log;

import java.io.IOException;
import java.util.Set;

/**
 * The runs Letta lists as active now, as the recorder's watcher would list them. The log asks once per start (and
 * per partition assignment in a fleet), and once per round while it runs (on a thread of its own, never a committer's),
 * before it removes the checkpoints of runs that ended long ago: a run Letta
 * still lists (its status stuck at {@code running} after its stream ended) keeps its checkpoint, since the watcher
 * would otherwise attach it again and write a second terminal record after the first.
 */
@FunctionalInterface
public interface ActiveRunListing {

    /**
     * @return the ids of the runs listed as active
     * @throws IOException when Letta cannot be asked; the log then removes no checkpoint at this start or round
     */
    Set<String> activeRunIds() throws IOException;

    /** Nothing is listed: for a recorder that does not watch (only an explicit attach reaches an ended run). */
    ActiveRunListing NONE = Set::of;
}
