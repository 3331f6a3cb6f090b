package dev.lsr.consumer.reader;

/** The chunk topic does not exist on the broker. */
public final class ChunkTopicNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ChunkTopicNotFoundException(String topic) {
        super("topic '" + topic + "' does not exist");
    }
}
