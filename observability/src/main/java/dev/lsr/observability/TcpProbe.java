package dev.lsr.observability;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A readiness check that one of a list of {@code host:port} addresses (Kafka's {@code bootstrap.servers})
 * accepts a TCP connection. It proves that something listens, not that it speaks Kafka; cheap enough to
 * run on every probe, and it logs nothing (a Kafka client retrying a dead broker logs a warning a second).
 */
public final class TcpProbe implements HealthCheck {

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
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            return "not host:port";
        }
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
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
