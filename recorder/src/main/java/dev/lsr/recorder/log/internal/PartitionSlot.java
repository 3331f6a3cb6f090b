package dev.lsr.recorder.log.internal;

import org.apache.kafka.clients.producer.Producer;

/** An owned partition at run time: its producer, its queue and the thread committing it. */
record PartitionSlot(PartitionId id, Producer<byte[], byte[]> producer, PendingQueue queue, Thread committer) {
}
