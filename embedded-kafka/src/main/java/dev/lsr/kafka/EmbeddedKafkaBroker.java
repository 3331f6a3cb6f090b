package dev.lsr.kafka;

import dev.lsr.kafka.internal.ServerLauncher;
import dev.lsr.kafka.internal.ServerLauncher.LaunchedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) running inside this
 * JVM, started from Kafka's own server classes. It serves PLAINTEXT on one host and port, supports
 * transactions and consumer groups, and keeps its log in a data directory that survives restarts.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir).port(0).start()) {
 *     String bootstrap = broker.bootstrapServers();
 * }
 * }</pre>
 *
 * <p>Logging: the server logs under {@code kafka}, {@code state.change.logger} and
 * {@code org.apache.kafka.{server,controller,raft,metadata,image,storage,coordinator,queue,snapshot,security,network}}.
 * Under logback each of those without a level of its own is set to WARN when a broker starts; name
 * them in your logback configuration to see more. This class logs one INFO line per start and stop.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /** The port a standalone broker (the daemon's default broker) listens on. */
    public static final int DEFAULT_PORT = 9092;
    /** The host the broker binds by default. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final LaunchedServer server;
    private final String host;
    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaBroker(LaunchedServer server, String host, Path dataDir, boolean deleteDataDirOnClose) {
        this.server = server;
        this.host = host;
        this.dataDir = dataDir;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
    }

    /** A builder for a broker on 127.0.0.1, an ephemeral port and a fresh temporary data dir. */
    public static Builder builder() {
        return new Builder();
    }

    /** The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:9092}. */
    public String bootstrapServers() {
        return host + ":" + server.port();
    }

    /** The host the broker listens on. */
    public String host() {
        return host;
    }

    /** The port the broker listens on (never 0). */
    public int port() {
        return server.port();
    }

    /** The directory holding the broker's log and metadata. */
    public Path dataDir() {
        return dataDir;
    }

    /** The KRaft cluster id, stored in the data dir when it was first formatted. */
    public String clusterId() {
        return server.clusterId();
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
            server.stop();
        } finally {
            if (deleteDataDirOnClose) {
                deleteQuietly(dataDir);
            }
        }
        log.info("Embedded Kafka broker at {} stopped in {} ms", bootstrapServers(), millisSince(startNanos));
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers() + ", " + dataDir + "]";
    }

    private static long millisSince(long startNanos) {
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

        private Builder() {}

        /**
         * Where the broker keeps its log; formatted on first start, reused as is afterwards, so a
         * broker restarted on the same dir finds its data. Default: a temporary dir deleted on close.
         */
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

        /**
         * Sets a Kafka server property, overriding this library's default for it. Listener, node and
         * quorum properties are managed by this class: overriding them breaks the broker.
         */
        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Kafka's standard authorizer, allowing everything no ACL names: for tests that deny one resource (a topic, a
         * transactional id) with an ACL and watch a client meet the refusal.
         */
        public Builder withAcls() {
            return brokerProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                    .brokerProperty("allow.everyone.if.no.acl.found", "true");
        }

        /**
         * The consumer groups' (KIP-848) session timeout and heartbeat interval, each also as the broker's
         * minimum so that members may ask for them: for tests of group members that fail over faster than
         * Kafka's defaults (45 s, 5 s) allow.
         */
        public Builder consumerGroupTimeouts(Duration session, Duration heartbeat) {
            String sessionMs = Long.toString(session.toMillis());
            String heartbeatMs = Long.toString(heartbeat.toMillis());
            return brokerProperty("group.consumer.session.timeout.ms", sessionMs)
                    .brokerProperty("group.consumer.min.session.timeout.ms", sessionMs)
                    .brokerProperty("group.consumer.heartbeat.interval.ms", heartbeatMs)
                    .brokerProperty("group.consumer.min.heartbeat.interval.ms", heartbeatMs);
        }

        /**
         * Formats the data dir if needed, starts the broker and blocks until it serves clients
         * (metadata loaded, topics can be created).
         *
         * @throws PortInUseException if the requested port is already bound; nothing was started
         * @throws EmbeddedKafkaException if the broker cannot start for another reason
         */
        public EmbeddedKafkaBroker start() {
            ServerLauncher.requireFreePort(host, port);
            long startNanos = System.nanoTime();
            boolean temporary = dataDir == null;
            Path dir = temporary ? createTempDir() : createDirs(dataDir);
            LaunchedServer server;
            try {
                server = ServerLauncher.launch(host, port, dir, brokerProperties);
            } catch (RuntimeException | Error e) {
                if (temporary) {
                    deleteQuietly(dir);
                }
                throw e;
            }
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, host, dir, temporary);
            log.info(
                    "Embedded Kafka broker started at {} in {} ms (data dir {}, cluster id {})",
                    broker.bootstrapServers(),
                    millisSince(startNanos),
                    dir,
                    server.clusterId());
            return broker;
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
}
