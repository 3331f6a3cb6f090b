package dev.lsr.kafka;

/**
 * Thrown by {@link EmbeddedKafkaBroker.Builder#start()} when the requested listener address is
 * already bound by another process. Nothing of the broker was started.
 */
public final class PortInUseException extends EmbeddedKafkaException {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;

    public PortInUseException(String host, int port) {
        super("cannot start embedded Kafka: " + host + ":" + port + " is already in use"
                + " (pass --bootstrap-servers to use another broker, or choose another port)");
        this.host = host;
        this.port = port;
    }

    /** The host whose port was taken. */
    public String host() {
        return host;
    }

    /** The port that was taken. */
    public int port() {
        return port;
    }
}
