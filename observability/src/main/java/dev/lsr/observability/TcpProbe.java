package dev.lsr.observability;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A readiness check that one of a list of {@code host:port} addresses (Kafka's {@code bootstrap.servers})
 * accepts a TCP connection. It proves that something listens, not that it speaks Kafka; cheap enough to
 * run on every probe, and it logs nothing (a Kafka client retrying a dead broker logs a warning a second).
 */
public final class TcpProbe implements HealthCheck {

    /**
     * {@code host:port}, {@code [ipv6]:port}, with an optional {@code PROTOCOL://} in front: what Kafka's clients take
     * in {@code bootstrap.servers} ({@code Utils.getHost}), so a {@code SASL_SSL://broker:9093} is probed, not down.
     */
    private static final Pattern HOST_PORT =
            Pattern.compile("^(?:[a-zA-Z][a-zA-Z\\d+\\-._]*://)?\\[?([0-9a-zA-Z\\-._%:]+)\\]?:([0-9]+)$");

    private final List<String> addresses;
    private final Duration timeout;

    /** @param addresses comma-separated {@code host:port}s */
    public TcpProbe(String addresses, Duration timeout) {
        this.addresses = Arrays.stream(addresses.split(","))
                .map(String::strip)
                .filter(a -> !a.isEmpty())
                .toList();
        this.timeout = timeout;
    }

    @Override
    public Result check() {
        List<String> failures = new ArrayList<>();
        for (String address : addresses) {
            String failure = connect(address);
            if (failure == null) {
                return Result.ok();
            }
            failures.add(address + ": " + failure);
        }
        return Result.failing(failures.isEmpty() ? "no address" : String.join("; ", failures));
    }

    /** Null when it connects, else why not. */
    private String connect(String address) {
        Matcher hostPort = HOST_PORT.matcher(address);
        if (!hostPort.matches()) {
            return "not host:port";
        }
        String host = hostPort.group(1);
        int port;
        try {
            port = Integer.parseInt(hostPort.group(2));
        } catch (NumberFormatException e) {
            return "not host:port";
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return null;
        } catch (IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }
}
