package dev.lsr.recorder.log.internal;

/**
 * What a chunk partition holds past the records a committer committed itself: the one question that tells, after
 * a producer lost its state in a way a takeover also explains (a fencing of a transaction older than its timeout),
 * whether another recorder committed there meanwhile. Asked before and after re-initialising in place.
 */
@FunctionalInterface
interface PartitionTail {

    /** Never anyone else's records (a driver whose producer is never replaced, in tests). */
    PartitionTail NONE = offset -> false;

    /**
     * Whether a committed (read_committed) record lies at {@code offset} or later.
     *
     * @throws org.apache.kafka.common.KafkaException when Kafka cannot say now (a timeout: asked again later)
     */
    boolean holdsCommittedRecordsFrom(long offset);
}
