package dev.lsr.consumer.reader.internal;

import dev.lsr.consumer.reader.ReplayListener;
import dev.lsr.consumer.reader.RunFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One thread of a parallel replay: decodes the values of the records of the partitions it owns (their
 * envelopes are read on the reading thread) and pipelines them, in
 * the order the reading thread hands them over, into its own {@link ReplayPipeline} and listener
 * (called only from this thread). A run lives in one partition, so each run is wholly in one worker.
 */
final class PartitionWorker implements Runnable {

    private static final int QUEUED_BATCHES = 8;
    private static final List<RecordDecoder.Enveloped> FINISH = new ArrayList<>();
    private static final List<RecordDecoder.Enveloped> ABANDON = new ArrayList<>();

    private final BlockingQueue<List<RecordDecoder.Enveloped>> batches = new ArrayBlockingQueue<>(QUEUED_BATCHES);
    private final Counters counters = new Counters();
    private final ReplayPipeline pipeline;
    private volatile Throwable failure;

    PartitionWorker(RunFilter filter, ReplayListener listener) {
        this.pipeline = new ReplayPipeline(filter, listener, counters);
    }

    @Override
    public void run() {
        try {
            while (true) {
                List<RecordDecoder.Enveloped> batch = batches.take();
                if (batch == FINISH) {
                    pipeline.finish();
                    return;
                }
                if (batch == ABANDON) {
                    return;
                }
                for (RecordDecoder.Enveloped record : batch) {
                    counters.countRecord();
                    pipeline.accept(record.decode());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
    }

    /** Hands records over, waiting while the worker is behind; fails fast when the worker has failed. */
    void hand(List<RecordDecoder.Enveloped> batch) throws InterruptedException {
        rethrowFailure();
        while (!batches.offer(batch, 100, TimeUnit.MILLISECONDS)) {
            rethrowFailure();
        }
    }

    /** Ends the worker's input: with {@link ReplayPipeline#finish} (a completed replay) or without (stopped). */
    void end(boolean completed) throws InterruptedException {
        if (failure == null) {
            hand(completed ? FINISH : ABANDON);
        }
    }

    /** Rethrows what the worker's decoding or listener threw, if anything. */
    void rethrowFailure() {
        Throwable thrown = failure;
        if (thrown instanceof RuntimeException e) {
            throw e;
        }
        if (thrown instanceof Error e) {
            throw e;
        }
    }

    Counters counters() {
        return counters;
    }
}
