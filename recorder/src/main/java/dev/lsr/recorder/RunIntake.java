package dev.lsr.recorder;

import java.util.concurrent.CompletableFuture;

/**
 * The library calls that tell a running recorder which runs to record, besides the ones it finds by
 * watching. Each returns at once; the future completes when the recording of the run ends. Asking
 * for a run that is already being recorded returns that recording's future.
 */
public interface RunIntake {

    /** Records a background run by id, from its first chunk or from its last committed position. */
    CompletableFuture<RunOutcome> attach(String runId);

    /** Sends a message in background mode with its own otid and records the run it starts. */
    CompletableFuture<RunOutcome> send(SendMessage message);
}
