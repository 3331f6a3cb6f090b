package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The servers of the proxy's tests: the proxy under test and the small upstreams it is pointed at, on loopback. */
final class Upstreams {

    private Upstreams() {}

    /** A started JDK server on a free loopback port, {@code handler} at "/", one virtual thread per exchange. */
    static HttpServer jdk(HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", handler);
        server.start();
        return server;
    }

    /** A started proxy to {@code upstream} (a 10 s write deadline), no key of its own. */
    static HttpServer proxyTo(HttpServer upstream, Duration upstreamTimeout) throws IOException {
        return proxyTo(upstream.getAddress().getPort(), upstreamTimeout);
    }

    /** A started proxy to loopback's {@code upstreamPort} (a 10 s write deadline), no key of its own. */
    static HttpServer proxyTo(int upstreamPort, Duration upstreamTimeout) throws IOException {
        return jdk(new UpstreamProxy(
                URI.create("http://127.0.0.1:" + upstreamPort), false, null, upstreamTimeout, Duration.ofSeconds(10)));
    }

    /** An upstream that answers every request 200 with no body. */
    static HttpServer emptyOk() throws IOException {
        return jdk(exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(200, -1);
            }
        });
    }

    /** An upstream that answers every request 200 with its body's SHA-256 (hex, Content-Length framed). */
    static HttpServer shaOfBody() throws IOException {
        return jdk(exchange -> {
            try (exchange) {
                byte[] hash;
                try (InputStream in = exchange.getRequestBody()) {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    byte[] buffer = new byte[7919];
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        sha.update(buffer, 0, n);
                    }
                    hash = HexFormat.of().formatHex(sha.digest()).getBytes(ISO_8859_1);
                } catch (NoSuchAlgorithmException e) {
                    throw new IOException(e);
                }
                exchange.sendResponseHeaders(200, hash.length);
                exchange.getResponseBody().write(hash);
            }
        });
    }

    /** The SHA-256 of {@code bytes}, in hex: what {@link #shaOfBody()} answers to them. */
    static String sha(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** An upstream that reads every request (after {@code readAfter}, its socket buffers filling meanwhile), answers none. */
    static Silent silent(Duration readAfter) throws IOException {
        return silent(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), s -> read(s, readAfter));
    }

    /** An upstream on {@code listening} that gives each connection it takes to {@code reader} (its own thread), answers none. */
    static Silent silent(ServerSocket listening, Consumer<Socket> reader) {
        return new Silent(listening, reader);
    }

    private static void read(Socket s, Duration after) {
        try {
            if (after.isPositive()) {
                Thread.sleep(after);
            }
            s.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException | InterruptedException e) {
            // closed
        }
    }

    /** See {@link #silent}; closing it closes its listening socket, then every connection it took. */
    static final class Silent implements AutoCloseable {

        private final ServerSocket server;
        private final List<Socket> held = new CopyOnWriteArrayList<>();

        private Silent(ServerSocket server, Consumer<Socket> reader) {
            this.server = server;
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        Socket s = server.accept();
                        held.add(s);
                        Thread.ofVirtual().start(() -> reader.accept(s));
                    }
                } catch (IOException e) {
                    // closed
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            try {
                server.close();
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    /**
     * A {@link #shaOfBody()} upstream and a proxy to it, started before each test and stopped after it; register with
     * {@code @RegisterExtension}.
     */
    static final class ShaEchoProxy implements BeforeEachCallback, AfterEachCallback {

        private final Duration upstreamTimeout;
        private HttpServer upstream;
        private HttpServer proxy;

        ShaEchoProxy(Duration upstreamTimeout) {
            this.upstreamTimeout = upstreamTimeout;
        }

        @Override
        public void beforeEach(ExtensionContext context) throws IOException {
            upstream = shaOfBody();
            proxy = proxyTo(upstream, upstreamTimeout);
        }

        @Override
        public void afterEach(ExtensionContext context) {
            proxy.stop(0);
            upstream.stop(0);
        }

        /** A new connection to the proxy, its reads bounded by 30 s. */
        Socket connect() throws IOException {
            return RawHttp.connect(proxy, 30_000);
        }

        /** A POST's head to the echo, with {@code framing} (its Content-Length or chunked). */
        static byte[] head(String framing) {
            return RawHttp.postHead("/v1/echo", "application/octet-stream", framing);
        }
    }
}
