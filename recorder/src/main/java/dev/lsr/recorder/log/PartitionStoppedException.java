package dev.lsr.recorder.log;

/**
 * The run's partition stopped on an error its producer could not recover from (not a fencing): the other
 * partitions keep recording. The message is the partition's {@link RunLogFailure#message()}. Only this
 * run's recording stops; it stays active in its committed checkpoint, and a restarted recorder continues
 * it from there.
 */
public final class PartitionStoppedException extends RunLogException {

    private static final long serialVersionUID = 1L;

    public PartitionStoppedException(String message, Throwable cause) {
        super(message, cause);
    }
}
