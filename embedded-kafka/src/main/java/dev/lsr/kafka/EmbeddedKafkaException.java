package dev.lsr.kafka;

/**
 * Thrown when an {@link EmbeddedKafkaBroker} cannot start or stop; the message is one line meant
 * for a person (a CLI can print it as is).
 */
public class EmbeddedKafkaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EmbeddedKafkaException(String message) {
        super(message);
    }

    public EmbeddedKafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}
