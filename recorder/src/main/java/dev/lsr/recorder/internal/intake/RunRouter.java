package dev.lsr.recorder.internal.intake;

/**
 * Which runs this recorder records: in a fleet only those of the partitions it owns; any other is offered to
 * the fleet, whose member that owns the run's partition records it. A recorder alone records every run but those of
 * a partition it gave up after it stopped, which it keeps until it takes the partition again.
 */
public interface RunRouter {

    /** True when this recorder owns the run's partition now. */
    boolean owns(String runId);

    /** Hands the run to the fleet ({@code mode}: how it was found). */
    void offer(String runId, String mode);

    /** Where {@link #offer} hands a run, for the log line that says so. */
    default String offeredTo() {
        return "offered to the fleet member that owns its partition";
    }

    /**
     * Hands a run whose recording here stopped unfinished (its partition given up or lost, the recorder
     * stopping) to the fleet: offered to the member that owns its partition now.
     */
    default void handOver(String runId, String mode) {
        offer(runId, mode);
    }

    /** A recorder alone: it owns every run. */
    RunRouter ALONE = new RunRouter() {
        @Override
        public boolean owns(String runId) {
            return true;
        }

        @Override
        public void offer(String runId, String mode) {
            throw new IllegalStateException("a recorder alone owns every run; nothing to offer");
        }

        @Override
        public void handOver(String runId, String mode) {
            // its next start continues it: from its checkpoint, or its watcher finds it again
        }
    };
}
