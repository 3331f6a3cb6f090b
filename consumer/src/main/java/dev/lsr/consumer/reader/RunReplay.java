package dev.lsr.consumer.reader;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The whole log of one run as a bounded replay read it: its records in order (duplicates dropped,
 * bad records skipped) and how it ends.
 *
 * @param runId   the run
 * @param records its readable records, in log order
 * @param end     how its log ends (null only if the replay was stopped early)
 */
public record RunReplay(String runId, List<RunRecord> records, RunEnd end) {

    public RunReplay {
        Objects.requireNonNull(runId, "runId");
        records = List.copyOf(records);
    }

    /** The chunk records only. */
    public List<RunRecord> chunks() {
        return records.stream().filter(RunRecord::isChunk).toList();
    }

    /** When its first record was received. */
    public Instant start() {
        return records.getFirst().receivedAt();
    }
}
