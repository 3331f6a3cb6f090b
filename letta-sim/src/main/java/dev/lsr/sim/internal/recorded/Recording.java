package dev.lsr.sim.internal.recorded;

import dev.lsr.sim.internal.producer.ScriptEntry;
import java.util.List;

/**
 * A recorded run parsed from an SSE body or a chunk file: its timeline with the sequence numbers
 * reconstructed.
 *
 * @param source where it came from (file name or given name)
 * @param runId the run id found in its chunks
 * @param firstSeq the sequence number of its first stored frame (1 unless it is a resume body)
 * @param script stored frames and recorded keepalive pings, in order
 * @param storedCount number of stored frames
 * @param hasFinal whether it ends with a final entry ({@code [DONE]} or {@code event: error})
 * @param fromSse whether it was an SSE body (exact bytes) rather than a chunk file
 */
public record Recording(
        String source,
        String runId,
        long firstSeq,
        List<ScriptEntry> script,
        int storedCount,
        boolean hasFinal,
        boolean fromSse) {

    /** A whole run: starts at seq 1 and ends with a final entry. */
    public boolean isComplete() {
        return firstSeq == 1 && hasFinal;
    }

    /** Number of timeline entries (stored frames and recorded pings). */
    public int entryCount() {
        return script.size();
    }
}
