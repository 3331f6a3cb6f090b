package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that uploads its body steadily but slowly, for longer in all than the upstream timeout (never a gap as long
 * as it). docs/replay-server.md and {@code UpstreamProxy}: the upstream timeout bounds the wait for the upstream's
 * response headers and "each wait of that read for the client's next bytes"; a client that stops sending is answered
 * 408 (it was 504) and logged as its own doing, "not an upstream outage". The JDK client's request timeout ({@code
 * HttpRequest.Builder.timeout}, the same upstream timeout) runs from {@code send} through the whole upload: such a
 * body is answered 504 and logged as an upstream outage, the upstream never having had the body whole.
 */
class UpstreamProxySlowBodyTest {

    private HttpServer upstream;
    private HttpServer proxy;

    @BeforeEach
    void start() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        upstream.createContext("/", exchange -> {
            try (exchange) {
                byte[] hash;
                try (InputStream in = exchange.getRequestBody()) {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    byte[] buffer = new byte[7919];
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        sha.update(buffer, 0, n);
                    }
                    hash = HexFormat.of().formatHex(sha.digest()).getBytes(ISO_8859_1);
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IOException(e);
                }
                exchange.sendResponseHeaders(200, hash.length);
                exchange.getResponseBody().write(hash);
            }
        });
        upstream.start();
        proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        proxy.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        proxy.createContext(
                "/",
                new UpstreamProxy(
                        URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()),
                        false,
                        null,
                        Duration.ofSeconds(3),
                        Duration.ofSeconds(10)));
        proxy.start();
    }

    @AfterEach
    void stop() {
        proxy.stop(0);
        upstream.stop(0);
    }

    @Test
    void aSlowButSteadyBodyLongerThanTheUpstreamTimeoutIsPassedOn() throws Exception {
        byte[] body = random(6 * 1000, 6);
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("Content-Length: " + body.length));
            Thread.ofVirtual().start(() -> {
                try {
                    for (int at = 0; at < body.length; at += 1000) {
                        out.write(body, at, 1000);
                        out.flush();
                        Thread.sleep(1000);
                    }
                } catch (IOException | InterruptedException e) {
                    // the test fails on the answer
                }
            });
            long start = System.nanoTime();
            String hash = answerBody(socket.getInputStream());
            assertEquals(sha(body), hash, "after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress(
                InetAddress.getLoopbackAddress(), proxy.getAddress().getPort()));
        return socket;
    }

    private static byte[] head(String framing) {
        return ("POST /v1/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n" + framing
                        + "\r\n\r\n")
                .getBytes(ISO_8859_1);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** One answer's body (Content-Length framed), after checking its status is 200. */
    private static String answerBody(InputStream in) throws IOException {
        String status = line(in);
        int length = -1;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(
                        header.substring("content-length:".length()).strip());
            }
        }
        String body = new String(in.readNBytes(Math.max(length, 0)), ISO_8859_1);
        assertEquals("HTTP/1.1 200 OK", status, body);
        return body;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the connection ended mid-answer: " + line.toString(ISO_8859_1));
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(ISO_8859_1);
    }
}
