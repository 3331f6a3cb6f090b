package dev.lsr.replay.internal;

import dev.lsr.chunklog.ChunkLogRecord;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The records of one run that the index reads while a stream request tails it: the index offers
 * each one as soon as it is committed and read, the request takes them. {@link #handover()} is the
 * first offset the feed carries; everything before it the request reads itself. {@link #end()}ed by an
 * index that stopped following the log for good: the request then gets the records offered before,
 * then {@link #END}.
 */
final class LiveFeed {

    /** One record and its offset. */
    record Item(long offset, ChunkLogRecord record) {}

    /** What {@link #next} returns once the feed has ended and its records have been taken. */
    static final Item END = new Item(-1, null);

    private final String runId;
    private final long handover;
    private final LinkedBlockingQueue<Item> items = new LinkedBlockingQueue<>();

    LiveFeed(String runId, long handover) {
        this.runId = runId;
        this.handover = handover;
    }

    String runId() {
        return runId;
    }

    long handover() {
        return handover;
    }

    void offer(long offset, ChunkLogRecord record) {
        items.add(new Item(offset, record));
    }

    /** Ends the feed: no record follows the ones offered so far. */
    void end() {
        items.add(END);
    }

    /** The next record, {@link #END} once the feed has ended, or null after {@code wait} without one. */
    Item next(Duration wait) throws InterruptedException {
        Item item = items.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        if (item == END) {
            items.add(END); // every later call sees the end too
        }
        return item;
    }
}
