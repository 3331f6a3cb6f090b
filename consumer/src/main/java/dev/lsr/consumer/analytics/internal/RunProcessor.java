package dev.lsr.consumer.analytics.internal;

import dev.lsr.chunklog.RunSequencer;
import dev.lsr.consumer.analytics.RunFold;
import dev.lsr.consumer.reader.ReadProblem;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.reader.RunPartitions;
import dev.lsr.consumer.reader.RunRecord;
import dev.lsr.consumer.reader.internal.Decoded;
import dev.lsr.consumer.reader.internal.RecordDecoder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fold states of the runs of one chunk partition, and how one record changes them: decode,
 * fold, remember which runs changed. Bad records are logged once with their run and location and
 * counted, when the transaction that read them commits ({@link TransactionProblems}); they never stop the job. So is
 * a record away from its run's other records ({@link RunPartitions}), which is not folded.
 */
final class RunProcessor<S> {

    private static final Logger log = LoggerFactory.getLogger(RunProcessor.class);

    private final RunFold<S> fold;
    private final RunPartitions runPartitions;
    private final Map<String, S> runs = new HashMap<>();
    private final Set<String> changed = new LinkedHashSet<>();
    /** Runs that have a marker instead of a summary: no longer folded (see {@link SummaryRecords#isMarker}). */
    private final Set<String> markedRuns = new HashSet<>();

    private final TransactionProblems problems;
    /** The kinds of exception a fold threw here, each logged with its stack trace once. */
    private final Set<Class<?>> foldFailures = new HashSet<>();

    RunProcessor(RunFold<S> fold, RunPartitions runPartitions, TransactionProblems problems) {
        this.fold = fold;
        this.runPartitions = runPartitions;
        this.problems = problems;
    }

    /** Where the summary topic says this partition's state stands in the chunk partition, or null (none said). */
    private ConsumedPosition consumedTo;

    void restoreConsumed(ConsumedPosition position) {
        consumedTo = position;
    }

    ConsumedPosition consumedTo() {
        return consumedTo;
    }

    /** Puts back a run read from the summary topic. */
    void restore(String runId, S state) {
        runs.put(runId, state);
    }

    void accept(ConsumerRecord<byte[], byte[]> consumed) {
        switch (RecordDecoder.decode(consumed)) {
            case Decoded.Readable readable -> {
                RunRecord record = readable.record();
                if (runPartitions.elsewhere(record.runId(), consumed.partition())) {
                    problems.add(() -> log.warn(
                            "{}-{}@{}: {}",
                            consumed.topic(),
                            consumed.partition(),
                            consumed.offset(),
                            runPartitions.whySkipped(record.runId())));
                    return;
                }
                // no order is kept across restarts: the fold judges repeats itself (see RunFold)
                apply(record.runId(), ReplayEvent.OfRecord.of(record, RunSequencer.Verdict.DELIVER));
            }
            case Decoded.Unreadable unreadable -> {
                ReadProblem problem = unreadable.problem();
                problems.add(() -> log.warn("skipped {}", problem.describe()));
                if (problem.runId() != null && !runPartitions.elsewhere(problem.runId(), consumed.partition())) {
                    apply(problem.runId(), new ReplayEvent.Unreadable(problem));
                }
            }
        }
    }

    /** The run has a marker instead of a summary: its state is dropped and its later records are not folded. */
    void stopFolding(String runId) {
        markedRuns.add(runId);
        runs.remove(runId);
        changed.remove(runId);
    }

    private void apply(String runId, ReplayEvent event) {
        if (markedRuns.contains(runId)) {
            return;
        }
        S current = stateOf(runId);
        try {
            runs.put(runId, fold.apply(current, event));
        } catch (RuntimeException e) {
            // bad input costs its record, never the job: left in the loop, it failed the job at every restart. The
            // run keeps a state (what the fold left of it, the same at every replay), so its summary can be written
            runs.put(runId, current);
            boolean firstOfItsKind = foldFailures.add(e.getClass());
            problems.add(() -> {
                if (firstOfItsKind) {
                    log.error(
                            "run {}: a record the fold cannot take was skipped (logged in full once per kind)",
                            runId,
                            e);
                } else {
                    log.warn("run {}: a record the fold cannot take was skipped: {}", runId, e.toString());
                }
            });
        }
        changed.add(runId);
    }

    private S stateOf(String runId) {
        S state = runs.get(runId);
        return state != null ? state : fold.initial(runId);
    }

    /** The runs changed since the last call, and forgets them. */
    Set<String> drainChanged() {
        Set<String> result = Set.copyOf(changed);
        changed.clear();
        return result;
    }

    S state(String runId) {
        return runs.get(runId);
    }

    int size() {
        return runs.size();
    }
}
