package dev.lsr.recorder.log;

import static dev.lsr.recorder.log.Records.chunk;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RunState;
import java.util.stream.LongStream;

/** One run's chunks at seqs {@code from..to}: appended to a run log, then checked in the committed topic. */
final class RunSeqs {

    private RunSeqs() {}

    static void append(RunLog log, String runId, long from, long to) {
        for (long seq = from; seq <= to; seq++) {
            log.append(chunk(runId, seq), RunState.ACTIVE);
        }
    }

    /** Seqs 1..{@code last} of {@code runId} are committed once each, in order, and its checkpoint is at {@code last}. */
    static void assertCommittedOnce(RunLog log, String bootstrapServers, String topic, String runId, long last) {
        assertEquals(
                LongStream.rangeClosed(1, last).mapToObj(Long::toString).toList(),
                Topics.chunksByRun(bootstrapServers, topic).get(runId).stream()
                        .map(Records::describe)
                        .toList(),
                "every record committed once, in order");
        assertEquals(Position.ofSeq(last), log.checkpoint(runId).orElseThrow().lastPosition());
    }
}
