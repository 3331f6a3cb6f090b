package dev.lsr.kafka.internal;

import dev.lsr.kafka.EmbeddedKafkaException;
import dev.lsr.kafka.PortInUseException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a combined-mode {@link KafkaRaftServer}: probes the port, formats the log dir if needed,
 * starts the server and blocks until the broker is unfenced (serves clients). On failure nothing is
 * left running.
 */
public final class ServerLauncher {

    private static final Logger log = LoggerFactory.getLogger(ServerLauncher.class);
    private static final int EPHEMERAL_PORT_ATTEMPTS = 3;

    private ServerLauncher() {}

    /** A started server and what it was started with. */
    public record LaunchedServer(KafkaRaftServer server, int port, String clusterId) {

        /** Shuts the server down and waits until all its threads are gone. */
        public void stop() {
            server.shutdown();
            server.awaitShutdown();
        }
    }

    /** Checks {@code host:port} is free, so a taken port fails before anything starts. */
    public static void requireFreePort(String host, int port) {
        if (port != 0 && !Ports.isFree(host, port)) {
            throw new PortInUseException(host, port);
        }
    }

    /**
     * Launches a broker on {@code host:port} (0: a free ephemeral port) keeping its log in
     * {@code logDir}; retries with fresh ephemeral ports if another process takes one first.
     */
    public static LaunchedServer launch(String host, int port, Path logDir, Map<String, String> overrides) {
        requireFreePort(host, port);
        ServerLogLevels.quietUnlessConfigured();
        for (int attempt = 1; ; attempt++) {
            int brokerPort = port == 0 ? Ports.freePort(host) : port;
            try {
                return launchOnce(host, brokerPort, logDir, overrides);
            } catch (BindFailure e) {
                // Another process took the broker or the controller port between probe and bind.
                if (port != 0 && !Ports.isFree(host, port)) {
                    throw new PortInUseException(host, port);
                }
                if (attempt == EPHEMERAL_PORT_ATTEMPTS) {
                    throw new EmbeddedKafkaException(
                            "cannot start embedded Kafka on " + host + ": " + e.getMessage(), e.getCause());
                }
                log.debug("port taken between probe and bind, retrying: {}", e.getMessage());
            }
        }
    }

    private static LaunchedServer launchOnce(String host, int brokerPort, Path logDir, Map<String, String> overrides) {
        int controllerPort = Ports.freePort(host);
        KafkaConfig config =
                new KafkaConfig(BrokerProperties.of(host, brokerPort, controllerPort, logDir, overrides), false);
        String clusterId = StorageFormat.clusterIdFormattingIfNeeded(config, logDir);
        KafkaRaftServer server;
        try {
            server = new KafkaRaftServer(config, Time.SYSTEM);
        } catch (RuntimeException e) {
            throw new EmbeddedKafkaException(
                    "cannot start embedded Kafka with data dir " + logDir + ": " + e.getMessage(), e);
        }
        try {
            server.startup();
        } catch (RuntimeException | Error e) {
            stopAfterFailedStart(server);
            if (hasBindCause(e)) {
                throw new BindFailure(e);
            }
            throw new EmbeddedKafkaException(
                    "cannot start embedded Kafka on " + host + ":" + brokerPort + " with data dir " + logDir + ": "
                            + e.getMessage(),
                    e);
        }
        return new LaunchedServer(server, brokerPort, clusterId);
    }

    private static void stopAfterFailedStart(KafkaRaftServer server) {
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

    /** Kafka could not bind one of its listeners. */
    private static final class BindFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BindFailure(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
