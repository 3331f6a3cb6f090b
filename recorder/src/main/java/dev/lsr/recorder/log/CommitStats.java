package dev.lsr.recorder.log;

import java.time.Duration;

/**
 * What one committed transaction held.
 *
 * @param partition       the chunk-topic partition
 * @param records         chunk and lifecycle records committed (checkpoints not counted)
 * @param bytes           their estimated serialized size
 * @param runs            runs touched, i.e. checkpoint records written
 * @param attempts        transactions it took (1 unless aborted and retried)
 * @param sinceOldest     from the append of the batch's oldest record to the commit
 * @param transactionTime from the begin of the successful transaction to its commit
 */
public record CommitStats(
        int partition,
        int records,
        long bytes,
        int runs,
        int attempts,
        Duration sinceOldest,
        Duration transactionTime) {}
