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

    private BootstrapReachability() {}

    /**
     * Returns once a server of {@code bootstrapServers} accepts a connection; retries (Kafka may be
     * starting too) until {@code deadline}, then throws a {@link RunLogStartException} naming the
     * address and the reason.
     *
     * @param startTimeout what {@code deadline} was set from, for the message
     */
    static void await(String bootstrapServers, Duration startTimeout, Deadline deadline) {
        List<String> servers = Arrays.stream(bootstrapServers.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        Backoff pause = PAUSES;
        boolean toldOnce = false;
        while (true) {
            List<String> failures = new ArrayList<>();
            for (String server : servers) {
                String failure = connect(server, deadline);
                if (failure == null) {
                    return;
                }
                failures.add(servers.size() == 1 ? failure : server + ": " + failure);
            }
            String why = String.join("; ", failures);
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
    private static String connect(String server, Deadline deadline) {
        String host = Utils.getHost(server);
        Integer port = Utils.getPort(server);
        if (host == null || port == null) {
            return null;
        }
        Duration timeout = deadline.remaining().compareTo(CONNECT_TIMEOUT) < 0 ? deadline.remaining() : CONNECT_TIMEOUT;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return null;
        } catch (UnknownHostException e) {
            return "unknown host " + host;
        } catch (SocketTimeoutException e) {
            return "no answer within " + timeout.toMillis() + " ms";
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
