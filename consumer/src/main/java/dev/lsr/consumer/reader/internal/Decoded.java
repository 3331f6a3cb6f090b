package dev.lsr.consumer.reader.internal;

import dev.lsr.chunklog.Position;
import dev.lsr.consumer.reader.ReadProblem;
import dev.lsr.consumer.reader.RunRecord;

/** A record as the decoder left it: readable, or a problem saying why not. */
public sealed interface Decoded {

    /** The run the record belongs to, or null when not even its key says. */
    String runId();

    /** A record the projections can use. */
    record Readable(RunRecord record) implements Decoded {
        @Override
        public String runId() {
            return record.runId();
        }
    }

    /**
     * A record that is skipped, with the reason. {@code chunkPosition} is the position of a chunk
     * whose envelope was readable but whose value was not usable (malformed, unknown type): it still
     * takes its place in the run's order. Null otherwise.
     */
    record Unreadable(ReadProblem problem, Position chunkPosition) implements Decoded {

        public Unreadable(ReadProblem problem) {
            this(problem, null);
        }

        @Override
        public String runId() {
            return problem.runId();
        }
    }
}
