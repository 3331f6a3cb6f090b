package dev.lsr.observability;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    /** One virtual thread per connect: a probe's tries never wait for each other or for a pool. */
    private static final Executor PROBES = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("tcp-probe").factory());

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

    /**
     * Tries every address at once (each on a virtual thread, with the timeout): up as soon as one connects, so a first
     * address whose machine is gone (connections time out instead of being refused) does not hold the probe up; down
     * when all failed, or none connected within the timeout (a name lookup that hangs).
     */
    @Override
    public Result check() {
        if (addresses.isEmpty()) {
            return Result.failing("no address");
        }
        List<CompletableFuture<String>> tries = addresses.stream()
                .map(address -> CompletableFuture.supplyAsync(() -> connect(address), PROBES))
                .toList();
        CompletableFuture<Boolean> anyUp = new CompletableFuture<>();
        tries.forEach(attempt -> attempt.thenAccept(failure -> {
            if (failure == null) {
                anyUp.complete(true);
            }
        }));
        CompletableFuture.allOf(tries.toArray(CompletableFuture[]::new))
                .thenRun(() -> anyUp.complete(tries.stream().anyMatch(attempt -> attempt.join() == null)));
        try {
            if (anyUp.get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS)) {
                return Result.ok();
            }
        } catch (TimeoutException e) {
            // a name lookup without its own timeout: reported below as no answer
        } catch (ExecutionException e) {
            return Result.failing(e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.failing("interrupted");
        }
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            String failure = tries.get(i).getNow("no answer within " + timeout.toMillis() + " ms");
            failures.add(addresses.get(i) + ": " + failure);
        }
        return Result.failing(String.join("; ", failures));
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
