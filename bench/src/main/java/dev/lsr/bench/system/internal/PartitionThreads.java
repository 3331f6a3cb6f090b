package dev.lsr.bench.system.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/** One task per partition, each on a platform thread of its own, as the recorder's committers run. */
final class PartitionThreads {

    private PartitionThreads() {}

    /** Runs {@code task} for partitions 0 to {@code partitions - 1} at once, waits for all, rethrows the first failure. */
    static void run(int partitions, IntConsumer task) throws InterruptedException {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    task.accept(partition);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
