package dev.lsr.chunklog;

/** The recorder's view of a run, as kept in its checkpoint. */
public enum RunState {
    /** Being drained; a restarted recorder reattaches it from the checkpoint's position. */
    ACTIVE,
    FINISHED,
    EXPIRED,
    GONE,
    NOT_RESUMABLE,
    ABANDONED;

    public boolean isTerminal() {
        return this != ACTIVE;
    }
}
