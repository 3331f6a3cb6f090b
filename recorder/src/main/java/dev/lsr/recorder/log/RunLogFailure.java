package dev.lsr.recorder.log;

import java.util.Objects;

/**
 * Why a run log stopped: a fatal error on one partition's producer. Nothing committed is lost; a
 * restarted recorder resumes every run from its committed checkpoint.
 *
 * @param kind      fenced by another owner, or another fatal Kafka error
 * @param partition the chunk-topic partition whose producer failed
 * @param message   one clear line for the operator, e.g. {@code fenced: another recorder took over
 *                  partition 3 of letta.chunks (transactional id lsr-recorder-letta.chunks-3)}
 * @param cause     the Kafka exception
 */
public record RunLogFailure(Kind kind, int partition, String message, Throwable cause) {

    /** What kind of fatal error stopped the log. */
    public enum Kind {
        /** Another producer with the same transactional id started: another recorder owns the partition now. */
        FENCED,
        /** Any other error Kafka says the producer cannot recover from (authorization, unsupported version, ...). */
        FATAL
    }

    public RunLogFailure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }
}
