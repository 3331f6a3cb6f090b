package dev.lsr.consumer.kafka;

/** Kafka could not be reached within the timeout; the message is one line for a person. */
public final class KafkaUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
