package dev.lsr.recorder.cli;

import dev.lsr.kafka.EmbeddedKafkaBroker;
import dev.lsr.recorder.RecorderConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder CLI's embedded-broker default: with no Kafka bootstrap servers configured,
 * {@link #bootstrapServers()} starts a broker on the configured data directory and port (the daemon
 * calls it after its Letta start check, see {@code RecorderDaemon.Builder#kafka}), and {@link #close()}
 * stops it after the daemon. The recorder library itself never starts a broker, so that it does not
 * depend on Kafka's server classes.
 */
final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final RecorderConfig config;
    private EmbeddedKafkaBroker broker;

    private EmbeddedKafka(RecorderConfig config) {
        this.config = config;
    }

    /** The Kafka of {@code config}: its bootstrap servers, or an embedded broker started on first use. */
    static EmbeddedKafka of(RecorderConfig config) {
        return new EmbeddedKafka(config);
    }

    /** The configured bootstrap servers, or the embedded broker's (started on the first call). */
    synchronized String bootstrapServers() {
        if (!config.embeddedBroker()) {
            return config.bootstrapServers();
        }
        if (broker == null) {
            log.info(
                    "No Kafka bootstrap servers configured: starting an embedded broker on port {} with data in {}",
                    config.embeddedPort(),
                    config.dataDir().toAbsolutePath());
            broker = EmbeddedKafkaBroker.builder()
                    .dataDir(config.dataDir())
                    .port(config.embeddedPort())
                    .start();
        }
        return broker.bootstrapServers();
    }

    @Override
    public synchronized void close() {
        if (broker == null) {
            return;
        }
        try {
            broker.close();
        } catch (RuntimeException e) {
            log.warn("Closing the embedded broker failed: {}", e.getMessage());
        }
        broker = null;
    }
}
