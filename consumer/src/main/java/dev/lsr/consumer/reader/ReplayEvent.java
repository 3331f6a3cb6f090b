package dev.lsr.consumer.reader;

import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RunSequencer;
import java.util.Objects;
import java.util.Optional;

/**
 * What a replay reads, as one sealed type: every listener gets these through
 * {@link ReplayListener#onEvent}, in per-run log order. A chunk or lifecycle record carries the run
 * sequencer's verdict, so a fold that counts repeats sees them in their place; gaps and unreadable
 * records are problems in the run's order; the end closes the run.
 */
public sealed interface ReplayEvent
        permits ReplayEvent.OfRecord, ReplayEvent.Gap, ReplayEvent.Unreadable, ReplayEvent.End {

    /** The run, or null for an unreadable record that names none. */
    String runId();

    /**
     * The record, when this is a chunk or recorder record the reader delivers (no repeat): what a
     * listener that wants the deduplicated log keeps. Null for everything else.
     */
    default RunRecord delivered() {
        return null;
    }

    /** A readable record of the run (a chunk or a recorder record) with the run sequencer's verdict on it. */
    sealed interface OfRecord extends ReplayEvent permits Chunk, Lifecycle {

        /** The event of a record: a {@link Chunk} for a chunk, else a {@link Lifecycle}. */
        static OfRecord of(RunRecord record, RunSequencer.Verdict verdict) {
            return record.isChunk() ? new Chunk(record, verdict) : new Lifecycle(record, verdict);
        }

        RunRecord record();

        RunSequencer.Verdict verdict();

        @Override
        default String runId() {
            return record().runId();
        }

        /** True for what the sequencer dropped as a repeat (a duplicate, a keepalive ping). */
        default boolean isRepeat() {
            return verdict() != RunSequencer.Verdict.DELIVER;
        }

        @Override
        default RunRecord delivered() {
            return isRepeat() ? null : record();
        }
    }

    /**
     * A chunk of a run.
     *
     * @param record  the record, with its peek and (when kept) its parsed value
     * @param verdict {@link RunSequencer.Verdict#DELIVER}, or why it is a repeat (duplicate, keepalive ping)
     */
    record Chunk(RunRecord record, RunSequencer.Verdict verdict) implements OfRecord {
        public Chunk {
            Objects.requireNonNull(verdict, "verdict");
            if (!record.isChunk()) {
                throw new IllegalArgumentException("not a chunk: " + record.type());
            }
        }
    }

    /**
     * A record the recorder wrote itself ({@code RUN_ATTACHED}, {@code RUN_RESUMED}, a terminal record, ...).
     *
     * @param record  the record, with its decoded lifecycle value
     * @param verdict {@link RunSequencer.Verdict#DELIVER} or {@link RunSequencer.Verdict#DUPLICATE}
     */
    record Lifecycle(RunRecord record, RunSequencer.Verdict verdict) implements OfRecord {
        public Lifecycle {
            Objects.requireNonNull(verdict, "verdict");
            if (record.isChunk()) {
                throw new IllegalArgumentException("a chunk is not a lifecycle record");
            }
        }

        /**
         * For a delivered {@code chunk.rejected} record, its {@link ReadProblem.Kind#REJECTED_CHUNK} problem: the run
         * misses that frame, which every listener that reports problems says (and the replay's stats count).
         */
        public Optional<ReadProblem> problem() {
            if (verdict != RunSequencer.Verdict.DELIVER
                    || !(record.lifecycle() instanceof LifecycleEvent.ChunkRejected rejected)) {
                return Optional.empty();
            }
            return Optional.of(new ReadProblem(
                    ReadProblem.Kind.REJECTED_CHUNK,
                    record.runId(),
                    record.location(),
                    "the recorder could not keep the frame at position " + record.position() + " ("
                            + rejected.reason() + ", " + rejected.sizeBytes()
                            + " bytes): whatever is rebuilt from the run misses it"));
        }
    }

    /** Stored frames missing before the next delivered record of the run ({@link ReadProblem.Kind#GAP}). */
    record Gap(ReadProblem problem) implements ReplayEvent {
        public Gap {
            if (problem.kind() != ReadProblem.Kind.GAP) {
                throw new IllegalArgumentException("not a gap: " + problem.kind());
            }
        }

        @Override
        public String runId() {
            return problem.runId();
        }
    }

    /** A record that was skipped because it could not be read. */
    record Unreadable(ReadProblem problem) implements ReplayEvent {
        public Unreadable {
            if (problem.kind() == ReadProblem.Kind.GAP || problem.kind() == ReadProblem.Kind.TRUNCATED_RUN) {
                throw new IllegalArgumentException("not a skipped record: " + problem.kind());
            }
        }

        @Override
        public String runId() {
            return problem.runId();
        }
    }

    /**
     * The run's log ended: at its terminal recorder record, or, for runs without one, at the end of a
     * bounded replay. At most once per run.
     *
     * @param end        how it ended
     * @param truncation for {@link RunEnd.Outcome#TRUNCATED}, the {@link ReadProblem.Kind#TRUNCATED_RUN} problem; else null
     */
    record End(RunEnd end, ReadProblem truncation) implements ReplayEvent {
        public End {
            Objects.requireNonNull(end, "end");
            if (end.isTruncated() != (truncation != null)) {
                throw new IllegalArgumentException("a truncated end, and only it, carries its problem");
            }
        }

        @Override
        public String runId() {
            return end.runId();
        }
    }
}
