package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A proxied response that has no body (a HEAD's, a 204, a 304) goes out as one: the JDK server is given length -1, as
 * it asks. Before, the proxy gave it the upstream's {@code Content-Length} (a HEAD's says the GET's) or 0 when there
 * was none (a 204): the JDK server logged a WARNING for each ("forcing contentLen = -1", "a content length for a HEAD
 * request"), and the 0 (a streamed body, to the write deadline) made a 204 or a 304 say {@code Connection: close}.
 */
class UpstreamProxyBodilessTest {

    /** The JDK server logs through System.Logger, which is java.util.logging here; held, so it stays configured. */
    private static final Logger JDK_SERVER_LOG = Logger.getLogger("com.sun.net.httpserver");

    @ParameterizedTest
    @CsvSource({"HEAD, /v1/agents/big, 200", "GET, /v1/no-content, 204", "GET, /v1/not-modified, 304"})
    void aResponseWithNoBodyIsSentAsOneAndKeepsItsConnection(String method, String path, int status) throws Exception {
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        JDK_SERVER_LOG.addHandler(handler);
        HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        upstream.createContext("/", exchange -> {
            try (exchange) {
                switch (exchange.getRequestURI().getPath()) {
                    case "/v1/no-content" -> exchange.sendResponseHeaders(204, -1);
                    case "/v1/not-modified" -> exchange.sendResponseHeaders(304, -1);
                    default -> { // a HEAD: the length of the GET's body, more than a kept-alive one's
                        exchange.getResponseHeaders().set("Content-Length", "1000000");
                        exchange.sendResponseHeaders(200, -1);
                    }
                }
            }
        });
        upstream.start();
        HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        proxy.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        proxy.createContext(
                "/",
                new UpstreamProxy(
                        URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()),
                        false,
                        null,
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(10)));
        proxy.start();
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress(
                    InetAddress.getLoopbackAddress(), proxy.getAddress().getPort()));
            socket.getOutputStream()
                    .write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(ISO_8859_1));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), ISO_8859_1));
            String statusLine = in.readLine();
            List<String> headers = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                headers.add(line);
            }

            assertEquals(status, Integer.parseInt(statusLine.split(" ")[1]), statusLine);
            assertEquals(List.of(), warnings, "the JDK server's warnings");
            assertFalse(
                    headers.stream().anyMatch(h -> h.equalsIgnoreCase("Connection: close")),
                    () -> method + " " + path + " keeps its connection: " + headers);
        } finally {
            proxy.stop(0);
            upstream.stop(0);
            JDK_SERVER_LOG.removeHandler(handler);
        }
    }
}
