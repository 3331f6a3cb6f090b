package dev.lsr.recorder.log.internal;

/**
 * The topics as found (or created) at start.
 *
 * @param partitions      partitions of the chunk topic (and of its checkpoint topic)
 * @param maxMessageBytes the chunk topic's {@code max.message.bytes}
 */
record TopicLayout(int partitions, int maxMessageBytes) {}
