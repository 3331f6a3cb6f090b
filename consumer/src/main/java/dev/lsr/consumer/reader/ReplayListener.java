package dev.lsr.consumer.reader;

/**
 * Receives what a replay reads, as one {@link ReplayEvent} per thing read, in per-run log order
 * (events of different runs may interleave). Called on the reading thread; implementations need not
 * be thread-safe. A listener that wants only the deduplicated log takes
 * {@link ReplayEvent#delivered()}; a fold that accounts for repeats, gaps or ends switches on the event.
 */
@FunctionalInterface
public interface ReplayListener {

    /** Everything a replay reads. */
    void onEvent(ReplayEvent event);
}
