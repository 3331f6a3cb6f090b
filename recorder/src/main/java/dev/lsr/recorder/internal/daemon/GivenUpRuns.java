package dev.lsr.recorder.internal.daemon;

import dev.lsr.recorder.internal.intake.RunRouter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A recorder alone's router: it owns every run, and keeps the runs whose recording stopped unfinished when their
 * partition was given up (stopped, or whose session had failed), with how each was found, until the partition is
 * taken again ({@link PartitionSeat#alone}). A run with nothing committed yet has no checkpoint for the take to
 * continue it from; without a watcher nothing else would ever attach it again. There is no fleet to hand them to.
 */
final class GivenUpRuns implements RunRouter {

    private final Map<String, String> modes = new ConcurrentHashMap<>();

    @Override
    public boolean owns(String runId) {
        return RunRouter.ALONE.owns(runId);
    }

    @Override
    public void offer(String runId, String mode) {
        RunRouter.ALONE.offer(runId, mode);
    }

    /** Kept until its partition is taken again (a stop of the recorder: its next start continues it). */
    @Override
    public void handOver(String runId, String mode) {
        modes.put(runId, mode);
    }

    /** Takes out the runs kept that {@code runIds} accepts (their partitions were just taken again), by run id. */
    Map<String, String> takeOut(Predicate<String> runIds) {
        Map<String, String> out = new TreeMap<>();
        modes.forEach((runId, mode) -> {
            if (runIds.test(runId) && modes.remove(runId, mode)) {
                out.put(runId, mode);
            }
        });
        return out;
    }
}
