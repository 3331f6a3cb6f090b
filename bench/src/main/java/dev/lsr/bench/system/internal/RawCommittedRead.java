package dev.lsr.bench.system.internal;

/**
 * The rebuild baseline: a plain read_committed consumer reading a topic from the beginning to the end
 * offsets it captured at the start, touching every record's bytes and nothing else.
 */
final class RawCommittedRead {

    /** What the read saw. */
    record Result(long records, long bytes) {}

    private RawCommittedRead() {}

    static Result readAll(BenchKafka kafka, String topic) {
        long[] recordsAndBytes = new long[2];
        ReadToEnd.read(kafka, topic, record -> {
            recordsAndBytes[0]++;
            recordsAndBytes[1] += record.value().length + (record.key() == null ? 0 : record.key().length);
        });
        return new Result(recordsAndBytes[0], recordsAndBytes[1]);
    }
}
