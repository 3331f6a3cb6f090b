package dev.lsr.recorder.log;

/**
 * The run's partition is not this recorder's (any more): in a fleet it was revoked or lost to another member,
 * which continues the run from its committed checkpoint. Only this recording stops, quietly; nothing it
 * appended after the last commit is kept by this recorder.
 */
public final class PartitionLostException extends RunLogException {

    private static final long serialVersionUID = 1L;

    public PartitionLostException(String message) {
        super(message);
    }
}
