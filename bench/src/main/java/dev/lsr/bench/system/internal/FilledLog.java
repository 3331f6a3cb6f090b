package dev.lsr.bench.system.internal;

/**
 * A chunk log written by {@link ChunkLogFiller}: finished runs, each ending with {@code run.finished},
 * and their checkpoints as the recorder writes them (one per run per transaction, the last FINISHED).
 *
 * @param topic       the chunk topic (its checkpoint topic is {@code topic + ".checkpoints"})
 * @param runs        runs written
 * @param chunks      chunk records written
 * @param records     all records written to the chunk topic (chunks and one run.finished per run)
 * @param checkpoints records written to the checkpoint topic
 */
public record FilledLog(String topic, long runs, long chunks, long records, long checkpoints) {}
