package dev.lsr.kernel.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * A child JVM for {@link WriteDeadlineConnectionLeakTest}: the JDK HTTP server reads {@code
 * jdk.httpserver.maxConnections} once per process, at its first server, so the limit the test sets on the command line
 * holds here whatever ran before in the test's own JVM. Its handler does what the replay server's streams do: {@code
 * try (exchange)}, writes through a {@link WriteDeadline} of {@code args[0]}, catches the StalledException. {@code
 * /big} is an endless body, anything else a short answer. Prints {@code port N} once listening and {@code stalled} at
 * each stalled response; stops when its standard input ends.
 */
public final class StallingServerUntilStdinEnds {

    private StallingServerUntilStdinEnds() {}

    public static void main(String[] args) throws IOException {
        Duration limit = Duration.parse(args[0]);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                if (exchange.getRequestURI().getPath().equals("/big")) {
                    try (WriteDeadline deadline = WriteDeadline.of(limit)) {
                        deadline.sendResponseHeaders(exchange, 200, 0);
                        OutputStream out = exchange.getResponseBody();
                        byte[] data = new byte[64 * 1024];
                        while (true) {
                            deadline.write(() -> {
                                out.write(data);
                                out.flush();
                            });
                        }
                    } catch (WriteDeadline.StalledException e) {
                        System.out.println("stalled");
                        System.out.flush();
                    }
                } else {
                    byte[] ok = "ok".getBytes(UTF_8);
                    exchange.sendResponseHeaders(200, ok.length);
                    exchange.getResponseBody().write(ok);
                }
            }
        });
        server.start();
        System.out.println("port " + server.getAddress().getPort());
        System.out.flush();
        try {
            while (System.in.read() != -1) {
                // until the test closes our input
            }
        } finally {
            server.stop(0);
        }
    }
}
