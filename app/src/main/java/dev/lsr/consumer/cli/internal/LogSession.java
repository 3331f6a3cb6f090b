package dev.lsr.consumer.cli.internal;

import dev.lsr.consumer.cli.CliException;
import dev.lsr.consumer.cli.ExitCodes;
import dev.lsr.consumer.kafka.BrokerProbe;
import dev.lsr.consumer.kafka.KafkaClientSettings;
import dev.lsr.consumer.reader.ChunkLogReader;
import dev.lsr.kafka.EmbeddedKafkaBroker;
import dev.lsr.kafka.EmbeddedKafkaException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The Kafka a command talks to: the broker named by {@code --bootstrap-servers}, or else an
 * embedded broker started on the recorded data directory (and stopped on close). Checks that the
 * broker answers and the topic exists before any reading starts.
 */
public final class LogSession implements AutoCloseable {

    private final KafkaClientSettings settings;
    private final EmbeddedKafkaBroker embedded;
    private final String topic;

    private LogSession(KafkaClientSettings settings, EmbeddedKafkaBroker embedded, String topic) {
        this.settings = settings;
        this.embedded = embedded;
        this.topic = topic;
    }

    /**
     * Connects, starting the embedded broker on {@code dataDir} and {@code embeddedPort} (0: any free
     * port) when no bootstrap servers are given.
     */
    public static LogSession open(
            String bootstrapServers,
            Map<String, String> properties,
            Duration timeout,
            Path dataDir,
            int embeddedPort,
            String topic) {
        EmbeddedKafkaBroker embedded = null;
        String bootstrap = bootstrapServers;
        if (bootstrap == null) {
            if (!Files.isDirectory(dataDir)) {
                throw new CliException(
                        ExitCodes.UNAVAILABLE,
                        "no --bootstrap-servers given and no recorded data in " + dataDir + " for the embedded broker");
            }
            try {
                embedded = EmbeddedKafkaBroker.builder()
                        .dataDir(dataDir)
                        .port(embeddedPort)
                        .start();
            } catch (EmbeddedKafkaException e) {
                throw new CliException(
                        ExitCodes.UNAVAILABLE,
                        e.getMessage() + " (is a broker already running on "
                                + dataDir + "? then pass --bootstrap-servers; is port " + embeddedPort
                                + " taken? then pass --embedded-port 0)",
                        e);
            }
            bootstrap = embedded.bootstrapServers();
        }
        return new LogSession(new KafkaClientSettings(bootstrap, properties, timeout), embedded, topic);
    }

    public KafkaClientSettings settings() {
        return settings;
    }

    public String topic() {
        return topic;
    }

    /** The chunk topic's partition count; fails with {@link ExitCodes#NOT_FOUND} when it does not exist. */
    public int requireTopic() {
        int partitions = BrokerProbe.partitions(settings, topic);
        if (partitions == 0) {
            throw new CliException(
                    ExitCodes.NOT_FOUND, "topic '" + topic + "' does not exist at " + settings.bootstrapServers());
        }
        return partitions;
    }

    /** A reader over the chunk topic (checked to exist first). */
    public ChunkLogReader reader() {
        requireTopic();
        return ChunkLogReader.open(settings.clientProperties(), topic, settings.timeout());
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
