package dev.lsr.recorder.log.internal;

/** An owned partition at run time: its (replaceable) producer, its queue and the thread committing it. */
record PartitionSlot(PartitionId id, PartitionProducer producer, PendingQueue queue, Thread committer) {}
