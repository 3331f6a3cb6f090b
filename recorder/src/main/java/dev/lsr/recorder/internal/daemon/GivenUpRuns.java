package dev.lsr.recorder.internal.daemon;

import dev.lsr.recorder.internal.intake.RunRouter;
import dev.lsr.recorder.log.RunLog;
import dev.lsr.recorder.log.UnreadableCheckpointException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A recorder alone's router: it owns every run, and keeps the runs whose recording stopped unfinished when their
 * partition was given up (stopped, or whose session had failed), with how each was found, until the partition is
 * taken again ({@link PartitionSeat#alone}). A run with nothing committed yet has no checkpoint for the take to
 * continue it from; without a watcher nothing else would ever attach it again. There is no fleet to hand them to.
 */
final class GivenUpRuns implements RunRouter {

    private static final Logger log = LoggerFactory.getLogger(GivenUpRuns.class);

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

    /**
     * At the recorder's stop: names the runs left unfinished (kept here, their partition not taken again, or whose
     * last session failed: {@code failedSessions}) of which {@code runLog} holds no checkpoint. Nothing of them is
     * committed, so the next start records them only if they are attached again or its watcher finds them; a run with
     * a checkpoint is continued from it.
     */
    void reportAtStop(Map<String, String> failedSessions, RunLog runLog) {
        Set<String> left = new TreeSet<>(modes.keySet());
        left.addAll(failedSessions.keySet());
        List<String> nothingCommitted =
                left.stream().filter(runId -> !known(runId, runLog)).toList();
        if (!nothingCommitted.isEmpty()) {
            log.warn(
                    "Stopping with {} run(s) not recorded: left unfinished with nothing committed (their partition"
                            + " given up, or their last session failed), so the next start records them only if they"
                            + " are attached again or its watcher finds them: {}",
                    nothingCommitted.size(),
                    nothingCommitted);
        }
    }

    private static boolean known(String runId, RunLog runLog) {
        try {
            return runLog.checkpoint(runId).isPresent();
        } catch (UnreadableCheckpointException e) {
            return true; // not new: the next start refuses to record it from its start, and says so
        }
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
