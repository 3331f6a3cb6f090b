package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
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
        HttpServer upstream = Upstreams.jdk(exchange -> {
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
        HttpServer proxy = Upstreams.proxyTo(upstream, Duration.ofSeconds(10));
        try (Socket socket = RawHttp.connect(proxy, 10_000)) {
            socket.getOutputStream()
                    .write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(ISO_8859_1));
            RawHttp.Answer answer = RawHttp.readHead(socket.getInputStream());
            String statusLine = answer.statusLine();
            List<String> headers = answer.headers();

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

    /**
     * What a client doing HEAD or conditional requests through the proxy must see is what the upstream said: a HEAD's
     * {@code Content-Length} (the GET's), a 304's validators and caching headers and its {@code Content-Length}; a 204
     * none (RFC 9110 8.6). Before, the proxy dropped every upstream {@code Content-Length} (a hop-by-hop header for a
     * body it streams), and for a bodiless response the JDK server sends none of its own.
     */
    @Test
    void aResponseWithNoBodyKeepsWhatTheUpstreamSaidOfIt() throws Exception {
        HttpServer upstream = Upstreams.jdk(exchange -> {
            try (exchange) {
                exchange.getResponseHeaders().set("ETag", "\"v1\"");
                exchange.getResponseHeaders().set("Last-Modified", "Mon, 07 Dec 2026 10:00:00 GMT");
                exchange.getResponseHeaders().set("Cache-Control", "private, max-age=60");
                switch (exchange.getRequestURI().getPath()) {
                    case "/v1/no-content" -> exchange.sendResponseHeaders(204, -1);
                    case "/v1/not-modified" -> { // the length of the representation it stands for (RFC 9110 8.6)
                        exchange.getResponseHeaders().set("Content-Length", "1234");
                        exchange.sendResponseHeaders(304, -1);
                    }
                    default -> { // a HEAD: the length of the GET's body
                        exchange.getResponseHeaders().set("Content-Length", "1000000");
                        exchange.sendResponseHeaders(200, -1);
                    }
                }
            }
        });
        HttpServer proxy = Upstreams.proxyTo(upstream, Duration.ofSeconds(10));
        try {
            List<String> head = headers(proxy, "HEAD", "/v1/agents/big");
            assertEquals("HTTP/1.1 200 OK", head.getFirst());
            assertTrue(head.contains("content-length: 1000000"), () -> "the HEAD's headers: " + head);
            List<String> notModified = headers(proxy, "GET", "/v1/not-modified");
            assertEquals("HTTP/1.1 304 Not Modified", notModified.getFirst());
            for (String expected : List.of(
                    "etag: \"v1\"",
                    "last-modified: mon, 07 dec 2026 10:00:00 gmt",
                    "cache-control: private, max-age=60",
                    "content-length: 1234")) {
                assertTrue(notModified.contains(expected), () -> "the 304's headers: " + notModified);
            }
            List<String> noContent = headers(proxy, "GET", "/v1/no-content");
            assertEquals("HTTP/1.1 204 No Content", noContent.getFirst());
            assertTrue(noContent.contains("etag: \"v1\""), () -> "the 204's headers: " + noContent);
            assertFalse(
                    noContent.stream().anyMatch(h -> h.startsWith("content-length:")),
                    () -> "a 204 has no Content-Length: " + noContent);
        } finally {
            proxy.stop(0);
            upstream.stop(0);
        }
    }

    /** The status line and the header lines (lower case) of one request on a new connection. */
    private static List<String> headers(HttpServer proxy, String method, String path) throws java.io.IOException {
        try (Socket socket = RawHttp.connect(proxy, 10_000)) {
            socket.getOutputStream()
                    .write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                            .getBytes(ISO_8859_1));
            RawHttp.Answer answer = RawHttp.readHead(socket.getInputStream());
            List<String> lines = new ArrayList<>();
            lines.add(answer.statusLine());
            lines.addAll(answer.lowerHeaders());
            return lines;
        }
    }
}
