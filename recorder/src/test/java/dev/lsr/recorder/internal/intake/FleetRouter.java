package dev.lsr.recorder.internal.intake;

import dev.lsr.recorder.RecorderFailure;
import dev.lsr.recorder.internal.run.SessionContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A fleet member's routing for the registry's and the watcher's tests: it owns every run or none ({@link #owned}),
 * and keeps each offer to the fleet as {@code "<run id> <mode>"}.
 */
final class FleetRouter implements RunRouter {

    /** Whether this member owns the runs' partition now. */
    final AtomicBoolean owned;
    /** When set, the partition leaves right after the next ownership answer (a give racing an intake's check). */
    final AtomicBoolean leavesAfterNextAnswer = new AtomicBoolean();
    /** Every offer made, in order: {@code "<run id> <mode>"}. */
    final List<String> offers = new CopyOnWriteArrayList<>();

    private FleetRouter(boolean owned) {
        this.owned = new AtomicBoolean(owned);
    }

    static FleetRouter owningNothing() {
        return new FleetRouter(false);
    }

    static FleetRouter owningAll() {
        return new FleetRouter(true);
    }

    @Override
    public boolean owns(String runId) {
        boolean answer = owned.get();
        if (leavesAfterNextAnswer.getAndSet(false)) {
            owned.set(false);
        }
        return answer;
    }

    @Override
    public void offer(String runId, String mode) {
        offers.add(runId + " " + mode);
    }

    /** A member's registry routing through this, its watcher polling every {@code pollInterval}. */
    RunRegistry registry(SessionContext ctx, Consumer<RecorderFailure> onFatal, Duration pollInterval) {
        return new RunRegistry(
                ctx, CheckpointLookup.EMPTY, onFatal, this, new RunStops(), RunWatcher.reofferAfter(pollInterval));
    }
}
