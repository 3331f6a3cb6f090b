package dev.lsr.recorder.internal.intake;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The runs this fleet member handed to the fleet, and when. A run counts as offered for {@code reofferAfter}
 * after its last offer; after that the watcher, still listing it as active, offers it again. An offer is a
 * hint that can be lost (a hand-over race, the owner's recording failing), and an offer too many costs the
 * owner a lookup: it records a run once whatever it is offered. Bounded: the oldest offers are dropped first.
 */
final class RecentOffers {

    private final Duration reofferAfter;
    private final Map<String, Instant> lastOffer;

    RecentOffers(int capacity, Duration reofferAfter) {
        this.reofferAfter = reofferAfter;
        this.lastOffer = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True when the run was offered less than {@code reofferAfter} before {@code now}. */
    synchronized boolean isRecent(String runId, Instant now) {
        Instant at = lastOffer.get(runId);
        return at != null && now.isBefore(at.plus(reofferAfter));
    }

    /** True when the run was offered from here, however long ago (as long as it is remembered). */
    synchronized boolean wasOffered(String runId) {
        return lastOffer.containsKey(runId);
    }

    /** Notes an offer made {@code now}; true when it is the run's first offer from here. */
    synchronized boolean add(String runId, Instant now) {
        // removed and put again, so the map's order stays that of the last offers
        boolean first = lastOffer.remove(runId) == null;
        lastOffer.put(runId, now);
        return first;
    }
}
