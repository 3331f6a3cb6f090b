package dev.lsr.recorder.log.internal;

import dev.lsr.kernel.Backoff;
import dev.lsr.recorder.log.RunLogStartException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, before any Kafka client exists, until one of the bootstrap servers accepts a TCP connection.
 * Kafka's clients retry an address that does not answer for ever, logging a warning at each attempt,
 * so a recorder pointed at the wrong address used to log a minute of those and then fail on whichever
 * admin call timed out first. This check says it in one line instead: which address, and why it cannot
 * be reached. It only proves that something listens there; TLS, SASL and the topics are checked by the
 * clients that come next.
 */
final class BootstrapReachability {

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapReachability.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Backoff PAUSES = Backoff.doubling(Duration.ofMillis(200), Duration.ofSeconds(2));

    /** Opens (and closes) one TCP connection; the seam the unit test uses to play a loaded machine. */
    @FunctionalInterface
    interface Connector {
        void connect(InetSocketAddress address, Duration timeout) throws IOException;
    }

    private static final Connector SOCKETS = (address, timeout) -> {
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) Math.max(1, timeout.toMillis()));
        }
    };

    /** Why one attempt failed; {@code cutShort} when it timed out only because the deadline left it no time. */
    private record Failure(String reason, boolean cutShort) {}

    private BootstrapReachability() {}

    /**
     * Returns once a server of {@code bootstrapServers} accepts a connection; retries (Kafka may be
     * starting too) until {@code deadline}, then throws a {@link RunLogStartException} naming the
     * address and the reason.
     *
     * @param startTimeout what {@code deadline} was set from, for the message
     */
    static void await(String bootstrapServers, Duration startTimeout, Deadline deadline) {
        await(bootstrapServers, startTimeout, deadline, SOCKETS);
    }

    static void await(String bootstrapServers, Duration startTimeout, Deadline deadline, Connector connector) {
        List<String> servers = Arrays.stream(bootstrapServers.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        Backoff pause = PAUSES;
        boolean toldOnce = false;
        String why = null;
        while (true) {
            List<String> failures = new ArrayList<>();
            boolean cutShort = false;
            for (String server : servers) {
                Failure failure = connect(server, deadline, connector);
                if (failure == null) {
                    return;
                }
                cutShort |= failure.cutShort();
                failures.add(servers.size() == 1 ? failure.reason() : server + ": " + failure.reason());
            }
            // the last round often runs out of time mid-connect: its "no answer within 0 ms" would hide the
            // reason every full attempt gave (on a loaded machine even a refusal can take longer than that)
            if (why == null || !cutShort) {
                why = String.join("; ", failures);
            }
            if (deadline.isOver() || Thread.currentThread().isInterrupted()) {
                throw new RunLogStartException("Kafka at " + bootstrapServers + " cannot be reached (" + why
                        + "; tried for the start timeout, " + startTimeout.toSeconds() + " s)");
            }
            if (!toldOnce) {
                LOG.info(
                        "Kafka at {} cannot be reached yet ({}); trying again for up to {} s",
                        bootstrapServers,
                        why,
                        deadline.remaining().toSeconds());
                toldOnce = true;
            }
            deadline.sleep(pause.delay());
            pause = pause.next();
        }
    }

    /** Null when {@code server} accepts a TCP connection (or is no host:port: the clients will say so), else why not. */
    private static Failure connect(String server, Deadline deadline, Connector connector) {
        String host = Utils.getHost(server);
        Integer port = Utils.getPort(server);
        if (host == null || port == null) {
            return null;
        }
        boolean limitedByDeadline = deadline.remaining().compareTo(CONNECT_TIMEOUT) < 0;
        Duration timeout = limitedByDeadline ? deadline.remaining() : CONNECT_TIMEOUT;
        try {
            connector.connect(new InetSocketAddress(host, port), timeout);
            return null;
        } catch (UnknownHostException e) {
            return new Failure("unknown host " + host, false);
        } catch (SocketTimeoutException e) {
            return new Failure("no answer within " + timeout.toMillis() + " ms", limitedByDeadline);
        } catch (IOException e) {
            return new Failure(e.getMessage(), false);
        }
    }
}
