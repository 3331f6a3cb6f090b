package dev.lsr.recorder.internal.intake;

/**
 * Which runs this recorder records: in a fleet only those of the partitions it owns; any other is offered to
 * the fleet, whose member that owns the run's partition records it.
 */
public interface RunRouter {

    /** True when this recorder owns the run's partition now. */
    boolean owns(String runId);

    /** Hands the run to the fleet ({@code mode}: how it was found). */
    void offer(String runId, String mode);

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
    };
}
