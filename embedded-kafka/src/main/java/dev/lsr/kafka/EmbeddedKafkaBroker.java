package dev.lsr.kafka;

import dev.lsr.kafka.internal.BrokerProperties;
import dev.lsr.kafka.internal.Ports;
import dev.lsr.kafka.internal.ServerLogLevels;
import dev.lsr.kafka.internal.StorageFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) running inside this
 * JVM, started from Kafka's own server classes. It serves PLAINTEXT on one host and port, supports
 * transactions and consumer groups, and keeps its log in a data directory that survives restarts.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(0).start()) {
 *     String bootstrap = broker.bootstrapServers();
 * }
 * }</pre>
 *
 * <p>The server logs under {@code kafka.*}, {@code state.change.logger} and several
 * {@code org.apache.kafka.*} packages (see {@code ServerLogLevels.SERVER_LOGGERS}); under logback
 * those are set to WARN unless the application's configuration names them.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /** The port the standalone broker listens on by default. */
    public static final int DEFAULT_PORT = 9092;
    /** The host the broker binds by default. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int AUTO_PORT_ATTEMPTS = 3;

    private final KafkaRaftServer server;
    private final String host;
    private final int port;
    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final String clusterId;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaBroker(KafkaRaftServer server, String host, int port, Path dataDir,
            boolean deleteDataDirOnClose, String clusterId) {
        this.server = server;
        this.host = host;
        this.port = port;
        this.dataDir = dataDir;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
        this.clusterId = clusterId;
    }

    /** A builder for a broker on 127.0.0.1, an ephemeral port and a fresh temporary data dir. */
    public static Builder builder() {
        return new Builder();
    }

    /** The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:9092}. */
    public String bootstrapServers() {
        return host + ":" + port;
    }

    /** The host the broker listens on. */
    public String host() {
        return host;
    }

    /** The port the broker listens on (never 0). */
    public int port() {
        return port;
    }

    /** The directory holding the broker's log and metadata. */
    public Path dataDir() {
        return dataDir;
    }

    /** The KRaft cluster id, stored in the data dir when it was first formatted. */
    public String clusterId() {
        return clusterId;
    }

    /**
     * Shuts the broker down cleanly and waits for it; deletes the data dir if the builder created
     * it. Calling it again does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long startNanos = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (deleteDataDirOnClose) {
                deleteQuietly(dataDir);
            }
        }
        log.info("Embedded Kafka broker at {} stopped in {} ms", bootstrapServers(), elapsedMillis(startNanos));
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void deleteQuietly(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            log.warn("cannot delete embedded Kafka data dir {}: {}", dir, e.getMessage());
        }
    }

    /** Configures and starts an {@link EmbeddedKafkaBroker}. */
    public static final class Builder {

        private Path dataDir;
        private String host = DEFAULT_HOST;
        private int port;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /** Where the broker keeps its log; a broker restarted on the same dir finds its data. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** The address to listen on; {@value EmbeddedKafkaBroker#DEFAULT_HOST} by default. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The PLAINTEXT port; 0 (the default) picks a free ephemeral port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** Sets a Kafka server property, overriding this library's default for it. */
        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Formats the data dir if needed, starts the broker and blocks until it serves clients.
         *
         * @throws PortInUseException if the requested port is already bound
         * @throws EmbeddedKafkaException if the broker cannot start for another reason
         */
        public EmbeddedKafkaBroker start() {
            if (port != 0 && !Ports.isFree(host, port)) {
                throw new PortInUseException(host, port);
            }
            boolean temporary = dataDir == null;
            Path dir = temporary ? createTempDir() : createDirs(dataDir);
            try {
                return startWithRetries(dir, temporary);
            } catch (RuntimeException | Error e) {
                if (temporary) {
                    deleteQuietly(dir);
                }
                throw e;
            }
        }

        private EmbeddedKafkaBroker startWithRetries(Path dir, boolean temporary) {
            for (int attempt = 1; ; attempt++) {
                int brokerPort = port == 0 ? Ports.freePort(host) : port;
                try {
                    return startOnce(dir, temporary, brokerPort);
                } catch (BindFailure e) {
                    // Another process took a port between our probe and Kafka's bind.
                    if (port != 0 && !Ports.isFree(host, port)) {
                        throw new PortInUseException(host, port);
                    }
                    if (attempt == AUTO_PORT_ATTEMPTS) {
                        throw new EmbeddedKafkaException("cannot start embedded Kafka on " + host
                                + ": " + e.getMessage(), e.getCause());
                    }
                }
            }
        }

        private EmbeddedKafkaBroker startOnce(Path dir, boolean temporary, int brokerPort) {
            long startNanos = System.nanoTime();
            int controllerPort = Ports.freePort(host);
            KafkaConfig config = new KafkaConfig(
                    BrokerProperties.of(host, brokerPort, controllerPort, dir, brokerProperties), false);
            String clusterId = StorageFormat.clusterIdFormattingIfNeeded(config, dir);
            ServerLogLevels.quietUnlessConfigured();
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            try {
                server.startup();
            } catch (RuntimeException | Error e) {
                shutdownAfterFailedStart(server);
                if (hasBindCause(e)) {
                    throw new BindFailure(e);
                }
                throw new EmbeddedKafkaException("cannot start embedded Kafka on " + host + ":" + brokerPort
                        + " with data dir " + dir + ": " + e.getMessage(), e);
            }
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, host, brokerPort, dir, temporary, clusterId);
            log.info("Embedded Kafka broker started at {} in {} ms (data dir {}, cluster id {})",
                    broker.bootstrapServers(), elapsedMillis(startNanos), dir, clusterId);
            return broker;
        }

        private static void shutdownAfterFailedStart(KafkaRaftServer server) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException | Error suppressed) {
                log.debug("error while stopping a broker that failed to start", suppressed);
            }
        }

        private static boolean hasBindCause(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException) {
                    return true;
                }
            }
            return false;
        }

        private static Path createTempDir() {
            try {
                return Files.createTempDirectory("embedded-kafka-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary Kafka data dir", e);
            }
        }

        private static Path createDirs(Path dir) {
            try {
                return Files.createDirectories(dir);
            } catch (IOException e) {
                throw new EmbeddedKafkaException("cannot create Kafka data dir " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    /** Kafka could not bind one of its listeners. */
    private static final class BindFailure extends RuntimeException {
        BindFailure(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
