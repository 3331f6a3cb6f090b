package dev.lsr.consumer.reader.internal;

import dev.lsr.consumer.reader.ReplayListener;
import dev.lsr.consumer.reader.RunFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The decode-and-fold side of a parallel bounded replay: the reading thread polls, reads the records'
 * envelopes and hands each partition's records to the worker that owns the partition (partitions are
 * dealt round-robin); each worker decodes the values and runs its own pipeline and listener. Per-run order is kept because a run lives in one partition
 * and a partition in one worker.
 */
public final class ParallelReplay implements AutoCloseable {

    private static final AtomicInteger REPLAYS = new AtomicInteger();

    private final List<PartitionWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Map<TopicPartition, PartitionWorker> owners = new HashMap<>();
    private boolean ended;

    /**
     * Starts one worker thread per listener.
     *
     * @param partitions the partitions to read, in a stable order
     */
    public ParallelReplay(RunFilter filter, List<? extends ReplayListener> listeners, List<TopicPartition> partitions) {
        int replay = REPLAYS.incrementAndGet();
        for (ReplayListener listener : listeners) {
            PartitionWorker worker = new PartitionWorker(filter, listener);
            workers.add(worker);
            threads.add(Thread.ofPlatform()
                    .daemon()
                    .name("chunk-log-replay-" + replay + "-" + workers.size())
                    .start(worker));
        }
        for (int i = 0; i < partitions.size(); i++) {
            owners.put(partitions.get(i), workers.get(i % workers.size()));
        }
    }

    /**
     * Reads the envelopes of a partition's records (in offset order) here, where Kafka just parsed their
     * headers, and hands them to the partition's worker.
     */
    public void hand(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records) {
        if (records.isEmpty()) {
            return;
        }
        List<RecordDecoder.Enveloped> enveloped = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            enveloped.add(RecordDecoder.envelope(record));
        }
        try {
            owners.get(partition).hand(enveloped);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing records to a replay worker", e);
        }
    }

    /**
     * Ends the workers and waits for them; adds their counts to {@code counters}. Rethrows the first
     * failure of a worker (its decoding or its listener).
     *
     * @param completed true at the end of a completed replay (the workers finish their runs), false when stopped
     */
    public void end(boolean completed, Counters counters) {
        ended = true;
        try {
            for (PartitionWorker worker : workers) {
                worker.end(completed);
            }
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the replay workers", e);
        }
        workers.forEach(PartitionWorker::rethrowFailure);
        workers.forEach(worker -> counters.add(worker.counters()));
    }

    /** Stops the workers without finishing their runs when the replay did not {@link #end} (it failed). */
    @Override
    public void close() {
        if (!ended) {
            threads.forEach(Thread::interrupt);
        }
    }
}
