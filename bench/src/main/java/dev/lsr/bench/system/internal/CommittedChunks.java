package dev.lsr.bench.system.internal;

import dev.lsr.chunklog.ChunkLogFormat;
import dev.lsr.chunklog.EnvelopeHeaders;
import dev.lsr.chunklog.RecordType;
import java.util.HashSet;
import java.util.Set;

/** Counts the committed chunk records of a topic after a trial, to check nothing was lost or doubled. */
final class CommittedChunks {

    private CommittedChunks() {}

    /** What a topic holds. */
    record Count(long records, long duplicates) {}

    /** Chunk records ({@code ce_type} chunk, or any record when {@code anyRecord}) visible to read_committed. */
    static long count(BenchKafka kafka, String topic, boolean anyRecord) {
        return countWithDuplicates(kafka, topic, anyRecord).records();
    }

    /** As {@link #count}, and how many chunk records repeat a {@code ce_id} (run and position) already read. */
    static Count countWithDuplicates(BenchKafka kafka, String topic, boolean anyRecord) {
        Set<String> ids = new HashSet<>();
        long[] countAndDuplicates = new long[2];
        String chunkType = RecordType.CHUNK.cloudEventType();
        ReadToEnd.read(kafka, topic, record -> {
            if (anyRecord || chunkType.equals(EnvelopeHeaders.get(record.headers(), ChunkLogFormat.Headers.TYPE))) {
                countAndDuplicates[0]++;
                String id = EnvelopeHeaders.get(record.headers(), ChunkLogFormat.Headers.ID);
                if (id != null && !ids.add(id)) {
                    countAndDuplicates[1]++;
                }
            }
        });
        return new Count(countAndDuplicates[0], countAndDuplicates[1]);
    }
}
