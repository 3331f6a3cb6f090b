package dev.lsr.recorder.internal.intake;

import java.util.List;
import java.util.Set;

/**
 * The runs the watcher listed as active at its last complete round. One per recorder, kept across its watchers (a
 * fleet member that gives partition 0 up and takes it back starts a new one), so a run that ended while no watcher
 * ran here is still seen to have left the listing.
 */
public final class ActiveListing {

    private Set<String> lastRound = Set.of();

    /** Notes the runs listed as active now; returns those of the last round not among them: they ended since. */
    synchronized List<String> update(Set<String> listedNow) {
        List<String> left =
                lastRound.stream().filter(runId -> !listedNow.contains(runId)).toList();
        lastRound = Set.copyOf(listedNow);
        return left;
    }
}
