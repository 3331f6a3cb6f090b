package dev.lsr.kafka.internal;

import dev.lsr.kafka.EmbeddedKafkaException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formats a KRaft log directory once, like {@code kafka-storage.sh format}, and leaves a formatted
 * directory alone so a restarted broker finds its cluster id and its log.
 */
public final class StorageFormat {

    private static final Logger log = LoggerFactory.getLogger(StorageFormat.class);

    private StorageFormat() {}

    /** The cluster id stored in {@code logDir}, formatting the directory first if it is not yet. */
    public static String clusterIdFormattingIfNeeded(KafkaConfig config, Path logDir) {
        Path metaProperties = logDir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME);
        if (Files.exists(metaProperties)) {
            return readClusterId(metaProperties);
        }
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(printStream)
                    .setNodeId(config.nodeId())
                    .setClusterId(clusterId)
                    .setControllerListenerName(BrokerProperties.CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .addDirectory(config.metadataLogDir())
                    .setWriteBootstrapSnapshot(true)
                    .setHasDynamicQuorum(false)
                    .run();
        } catch (Exception e) {
            throw new EmbeddedKafkaException("cannot format Kafka storage in " + logDir + ": " + e.getMessage(), e);
        }
        log.debug(
                "Formatted {}: {}",
                logDir,
                output.toString(StandardCharsets.UTF_8).strip());
        return clusterId;
    }

    private static String readClusterId(Path metaProperties) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(metaProperties)) {
            properties.load(in);
        } catch (IOException e) {
            throw new EmbeddedKafkaException("cannot read " + metaProperties + ": " + e.getMessage(), e);
        }
        String clusterId = properties.getProperty("cluster.id");
        if (clusterId == null) {
            throw new EmbeddedKafkaException(metaProperties + " has no cluster.id: not a KRaft log directory");
        }
        return clusterId;
    }
}
