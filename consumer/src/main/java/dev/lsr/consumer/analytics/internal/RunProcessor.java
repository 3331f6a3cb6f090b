package dev.lsr.consumer.analytics.internal;

import dev.lsr.consumer.analytics.RunFold;
import dev.lsr.consumer.reader.ReadProblem;
import dev.lsr.consumer.reader.RunRecord;
import dev.lsr.consumer.reader.internal.Decoded;
import dev.lsr.consumer.reader.internal.RecordDecoder;
import dev.lsr.consumer.reader.internal.RunSequencer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of the runs of one chunk partition, and how one record changes it: decode, drop
 * duplicates, fold, remember which runs changed. Bad records are logged once with their run and
 * counted; they never stop the job.
 */
public final class RunProcessor<S> {

    private static final Logger log = LoggerFactory.getLogger(RunProcessor.class);

    private final RunFold<S> fold;
    private final Map<String, TrackedRun<S>> runs = new HashMap<>();
    private final Set<String> changed = new LinkedHashSet<>();
    private final AtomicLong problems;

    RunProcessor(RunFold<S> fold, AtomicLong problems) {
        this.fold = fold;
        this.problems = problems;
    }

    /** Puts back a run read from the summary topic. */
    void restore(TrackedRun<S> run) {
        runs.put(run.runId, run);
    }

    public void accept(ConsumerRecord<byte[], byte[]> consumed) {
        switch (RecordDecoder.decode(consumed)) {
            case Decoded.Unreadable unreadable -> skip(unreadable);
            case Decoded.Readable readable -> apply(readable.record());
        }
    }

    private void apply(RunRecord record) {
        TrackedRun<S> run = runs.computeIfAbsent(record.runId(),
                id -> new TrackedRun<>(id, new RunSequencer(id), fold.initial(id)));
        if (run.sequencer.accept(record) != RunSequencer.Verdict.DELIVER) {
            return;
        }
        if (run.sequencer.gap() != null) {
            report(run.sequencer.gap());
        }
        run.state = fold.apply(run.state, record);
        changed.add(record.runId());
    }

    private void skip(Decoded.Unreadable unreadable) {
        report(unreadable.problem());
        TrackedRun<S> run = unreadable.runId() == null ? null : runs.get(unreadable.runId());
        if (run != null && unreadable.chunkPosition() != null) {
            run.sequencer.skip(unreadable.chunkPosition(), unreadable.problem().location());
            changed.add(unreadable.runId());
        }
    }

    private void report(ReadProblem problem) {
        problems.incrementAndGet();
        log.warn("{}", problem.describe());
    }

    /** The runs changed since the last call, and forgets them. */
    Set<String> drainChanged() {
        Set<String> result = Set.copyOf(changed);
        changed.clear();
        return result;
    }

    TrackedRun<S> run(String runId) {
        return runs.get(runId);
    }

    public S state(String runId) {
        TrackedRun<S> run = runs.get(runId);
        return run == null ? null : run.state;
    }

    int size() {
        return runs.size();
    }
}
