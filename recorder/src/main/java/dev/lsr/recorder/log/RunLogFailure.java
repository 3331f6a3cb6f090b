package dev.lsr.recorder.log;

import java.util.Objects;

/**
 * Why a run log or one of its partitions stopped: a fencing (stops the log) or another error one
 * partition's producer could not recover from (stops that partition). Nothing committed is lost; a
 * restarted recorder resumes every run from its committed checkpoint.
 *
 * @param kind      fenced by another owner, a fleet member's producer that lost its state, or another fatal Kafka
 *                  error
 * @param partition the chunk-topic partition whose producer failed, or {@link #NO_PARTITION} for a failure of no one
 *                  partition (a fleet member's group membership)
 * @param message   one clear line for the operator, e.g. {@code fenced: another recorder took over
 *                  partition 3 of letta.chunks (transactional id lsr-recorder-letta.chunks-3)}
 * @param cause     the Kafka exception
 */
public record RunLogFailure(Kind kind, int partition, String message, Throwable cause) {

    /** What kind of fatal error stopped the log. */
    public enum Kind {
        /**
         * Another producer with the same transactional id started: another recorder owns the partition now.
         * Stops the whole log (the recorder exits 3).
         */
        FENCED,
        /**
         * In a fleet, a partition's producer that lost its state (a transaction the coordinator aborted for its
         * timeout, an unknown producer id): never re-initialised in place (a late producer would fence a new owner
         * back), the partition is given up and taken again through the group. No other owner is implied, so it never
         * stops the log however often it happens.
         */
        LOST,
        /**
         * Any other error the partition's producer cannot recover from, even re-initialised (authorization,
         * unsupported version, ...). Stops that partition alone; the log only when no partition is left.
         */
        FATAL
    }

    /** The partition of a failure of no one partition. */
    public static final int NO_PARTITION = -1;

    public RunLogFailure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }
}
