package dev.lsr.recorder;

/**
 * Why a {@link RecorderDaemon} failed: reported once to its owner ({@link RecorderDaemon.Builder#onFailure}),
 * when the daemon has released everything and is {@code FAILED}. Each kind is a record with one line for
 * the operator and the underlying exception, if any; neither carries credentials. Whoever maps failures to
 * something (the CLI: exit codes) switches over the kinds, and the compiler says when one is added.
 */
public sealed interface RecorderFailure {

    /** One line for the operator, without credentials; never null. */
    String message();

    /** What was thrown underneath, or null. */
    Throwable cause();

    /** Another recorder with the same transactional ids took over the chunk topic's partitions. */
    record Fenced(String message, Throwable cause) implements RecorderFailure {}

    /**
     * The start check failed: the Letta URL answered with something that is not Letta, nothing answered, or
     * Letta rejected the API key before anything started. A configuration error.
     */
    record LettaCheckFailed(String message, Throwable cause) implements RecorderFailure {}

    /** Letta rejected the API key (HTTP 401/403) while the recorder was running. */
    record CredentialsRejected(String message, Throwable cause) implements RecorderFailure {}

    /**
     * The run log could not start (Kafka unreachable, topics that do not fit) or stopped (every owned
     * partition stopped on an error its producer could not recover from). Nothing committed is lost.
     */
    record LogFailed(String message, Throwable cause) implements RecorderFailure {}

    /** Anything else: a bug or an environment the recorder did not expect. */
    record Unexpected(String message, Throwable cause) implements RecorderFailure {}
}
