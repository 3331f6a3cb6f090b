package dev.lsr.kernel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;

/**
 * The one rule for a reader of the chunk log whose position the log no longer holds. Its consumers never
 * let Kafka reset a position ({@code auto.offset.reset=none}): Kafka's default, {@code latest}, jumps to
 * the end and skips every record still there without a word. On {@link OffsetOutOfRangeException}:
 * <ul>
 *   <li>below the partition's start (records deleted before they were read: a finite {@code retention.ms},
 *       {@code deleteRecords}), the reader goes on from that start, and the offsets it never read are
 *       logged once at WARN and returned, for the caller to count and report;
 *   <li>above the partition's end (the log truncated, e.g. by an unclean leader election), from that end,
 *       or from the position itself if the log has grown past it again since.
 * </ul>
 * A failure of the offset lookups is the caller's to retry: nothing has moved then.
 */
public final class MissingOffsets {

    /**
     * Where one partition's reader went on.
     *
     * @param deletedFrom the first offset deleted before it was read (the position it had)
     * @param goesOnAt    the offset it reads next; {@code goesOnAt - deletedFrom} offsets were deleted unread
     *                    when {@link #deleted()}, none when the log was truncated instead
     */
    public record Resumed(TopicPartition partition, long deletedFrom, long goesOnAt) {

        public boolean deleted() {
            return goesOnAt > deletedFrom;
        }

        /** The offsets deleted before they were read, counting only those below {@code bound}. */
        public long deletedBelow(long bound) {
            return Math.max(0, Math.min(goesOnAt, bound) - deletedFrom);
        }
    }

    /**
     * The offsets deleted unread, per partition, each counted once: a reader that seeks back below a hole it
     * already went past (the analytics job rewinding to its last commit after an abort) meets the same
     * deletion again. Not thread-safe: one per reading thread.
     */
    public static final class Tally {

        private final Map<TopicPartition, Long> countedUpTo = new HashMap<>();

        /** The offsets {@code resumed} went past that were deleted unread and not counted before. */
        public long count(Resumed resumed) {
            if (!resumed.deleted()) {
                return 0;
            }
            long from = Math.max(resumed.deletedFrom(), countedUpTo.getOrDefault(resumed.partition(), 0L));
            countedUpTo.merge(resumed.partition(), resumed.goesOnAt(), Math::max);
            return Math.max(0, resumed.goesOnAt() - from);
        }
    }

    private MissingOffsets() {}

    /**
     * Moves {@code consumer} past the positions the exception names, logging each at WARN.
     *
     * @param reader what reads, for the lines, e.g. {@code the run index}
     */
    public static List<Resumed> goOn(
            Consumer<?, ?> consumer, OffsetOutOfRangeException missing, Duration timeout, Logger log, String reader) {
        Map<TopicPartition, Long> positions = missing.offsetOutOfRangePartitions();
        Map<TopicPartition, Long> starts = consumer.beginningOffsets(positions.keySet(), timeout);
        Map<TopicPartition, Long> ends = consumer.endOffsets(positions.keySet(), timeout);
        List<Resumed> resumed = new ArrayList<>(positions.size());
        positions.forEach((tp, position) -> {
            long start = starts.get(tp);
            if (position < start) {
                log.warn(
                        "{}: offsets {} to {} were deleted (retention, deleteRecords) before {} read them; it goes on from {}",
                        tp,
                        position,
                        start - 1,
                        reader,
                        start);
                consumer.seek(tp, start);
                resumed.add(new Resumed(tp, position, start));
            } else {
                long end = Math.min(ends.get(tp), position); // the log may have grown past it since
                log.warn(
                        "{}: the log ends at offset {}, below the position {} of {} (truncated, e.g. by an unclean"
                                + " leader election); it goes on from {}",
                        tp,
                        end,
                        position,
                        reader,
                        end);
                consumer.seek(tp, end);
                resumed.add(new Resumed(tp, end, end));
            }
        });
        return resumed;
    }
}
