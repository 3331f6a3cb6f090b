package dev.lsr.recorder.log;

import dev.lsr.chunklog.TopicConventions;
import java.util.stream.IntStream;

/** Run ids by the chunk partition of a two-partition log their id hashes to, as the recorder places them. */
final class TwoPartitionRuns {

    private TwoPartitionRuns() {}

    /** The {@code nth} (from 0) of the ids {@code run-0}, {@code run-1}... that hash to {@code partition}. */
    static String runIn(int partition, int nth) {
        return IntStream.range(0, 1000)
                .mapToObj(i -> "run-" + i)
                .filter(run -> TopicConventions.partitionFor(run, 2) == partition)
                .skip(nth)
                .findFirst()
                .orElseThrow();
    }
}
