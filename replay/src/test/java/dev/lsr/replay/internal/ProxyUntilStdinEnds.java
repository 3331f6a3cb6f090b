package dev.lsr.replay.internal;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * A child JVM for {@link UpstreamProxyConnectionLeakTest}: the JDK HTTP server reads {@code
 * jdk.httpserver.maxConnections} once per process, so the small limit the test sets on the command line holds here.
 * Serves every path through an {@link UpstreamProxy} to {@code args[0]} with a write timeout of {@code args[1]};
 * prints {@code port N} once listening; stops when its standard input ends.
 */
public final class ProxyUntilStdinEnds {

    private ProxyUntilStdinEnds() {}

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext(
                "/",
                new UpstreamProxy(URI.create(args[0]), false, null, Duration.ofMinutes(5), Duration.parse(args[1])));
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
