package dev.lsr.recorder.log.internal;

import dev.lsr.recorder.log.RunLogFailure;

/** A partition's producer hit a fatal error: the partition stops and the log fails with {@link #failure()}. */
final class PartitionFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient RunLogFailure failure;

    PartitionFailedException(RunLogFailure failure) {
        super(failure.message(), failure.cause());
        this.failure = failure;
    }

    RunLogFailure failure() {
        return failure;
    }
}
