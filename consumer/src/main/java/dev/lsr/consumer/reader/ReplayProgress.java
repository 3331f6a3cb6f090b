package dev.lsr.consumer.reader;

/** Told how far a bounded replay has come, in records (offsets) over all partitions read. */
@FunctionalInterface
public interface ReplayProgress {

    ReplayProgress NONE = (done, total) -> {};

    /** Called after each poll; {@code done <= total}; a last call has {@code done == total}. */
    void update(long done, long total);
}
