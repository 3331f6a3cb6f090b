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
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A recorder alone's router: it owns every run of the partitions its log holds now ({@code owned}), and keeps the
 * runs of a partition given up after it stopped, with how each was found, until the partition is taken again
 * ({@link PartitionSeat#alone}): those whose recording stopped unfinished at the give-up (stopped, or whose session
 * had failed), and those attached, found or sent while it is away. None of them records meanwhile, as a fleet member
 * records no run of a partition it does not own: a session started while the partition is away would continue from
 * what the take then restores, or append into it late. A run with nothing committed yet has no checkpoint for the
 * take to continue it from; without a watcher nothing else would ever attach it again. There is no fleet to hand
 * them to.
 */
final class GivenUpRuns implements RunRouter {

    private static final Logger log = LoggerFactory.getLogger(GivenUpRuns.class);

    private final Map<String, String> modes = new ConcurrentHashMap<>();
    private final Predicate<String> owned;
    private volatile BiConsumer<String, String> attach = (runId, mode) -> {};
    private volatile BooleanSupplier stopping = () -> true;

    /** @param owned true for a run whose partition the log holds now ({@code RunLog::owns}) */
    GivenUpRuns(Predicate<String> owned) {
        this.owned = owned;
    }

    /**
     * How a run kept just as its partition came back is attached ({@code attach}: by id, with how it was found), unless
     * the recorder stops. Set once the registry that records runs exists.
     */
    void attachWith(BiConsumer<String, String> attach, BooleanSupplier stopping) {
        this.attach = attach;
        this.stopping = stopping;
    }

    @Override
    public boolean owns(String runId) {
        return owned.test(runId);
    }

    /** A run of a partition given up: kept until the partition is taken again. */
    @Override
    public void offer(String runId, String mode) {
        keep(runId, mode);
    }

    @Override
    public String offeredTo() {
        return "kept until its partition, given up, is taken again";
    }

    /** Kept until its partition is taken again (a stop of the recorder: its next start continues it). */
    @Override
    public void handOver(String runId, String mode) {
        keep(runId, mode);
    }

    /**
     * Keeps a run for its partition's take; attaches it at once when the partition is back already. A take puts its
     * partition in the log before it takes out the runs kept here ({@link PartitionSeat#assigned}), so a run kept after
     * that take-out finds its partition owned, and one kept before it is taken out: none is left behind.
     */
    private void keep(String runId, String mode) {
        modes.put(runId, mode);
        if (owned.test(runId) && !stopping.getAsBoolean() && modes.remove(runId, mode)) {
            attach.accept(runId, mode);
        }
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
