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

/** Request bodies through the proxy to a real upstream that answers each body's SHA-256: byte for byte. */
class ProxiedBodyExactnessTest {

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
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(10)));
        proxy.start();
    }

    @AfterEach
    void stop() {
        proxy.stop(0);
        upstream.stop(0);
    }

    @Test
    void aLargeBodyOfAKnownLengthArrivesWhole() throws Exception {
        byte[] body = random(6 << 20, 1);
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("Content-Length: " + body.length));
            write(out, body);
            assertEquals(sha(body), answerBody(socket.getInputStream()));
        }
    }

    @Test
    void aLargeChunkedBodyArrivesWhole() throws Exception {
        byte[] body = random((5 << 20) + 12345, 2);
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("Transfer-Encoding: chunked"));
            Random sizes = new Random(3);
            for (int at = 0; at < body.length; ) {
                int n = Math.min(body.length - at, 1 + sizes.nextInt(20000));
                out.write((Integer.toHexString(n) + "\r\n").getBytes(ISO_8859_1));
                out.write(body, at, n);
                out.write("\r\n".getBytes(ISO_8859_1));
                at += n;
            }
            out.write("0\r\n\r\n".getBytes(ISO_8859_1));
            out.flush();
            assertEquals(sha(body), answerBody(socket.getInputStream()));
        }
    }

    @Test
    void pipelinedRequestsEachGetTheirOwnBody() throws Exception {
        byte[] first = random(100_000, 4);
        byte[] second = random(70_000, 5);
        try (Socket socket = connect()) {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.write(head("Content-Length: " + first.length));
            both.write(first);
            both.write(head("Content-Length: " + second.length));
            both.write(second);
            write(socket.getOutputStream(), both.toByteArray());
            InputStream in = socket.getInputStream();
            assertEquals(sha(first), answerBody(in), "the first request's body");
            assertEquals(sha(second), answerBody(in), "the second request's body");
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress(
                InetAddress.getLoopbackAddress(), proxy.getAddress().getPort()));
        return socket;
    }

    private static void write(OutputStream out, byte[] bytes) {
        Thread.ofVirtual()
                .start(
                        () -> { // the answer may come before the whole body is written
                            try {
                                out.write(bytes);
                                out.flush();
                            } catch (IOException e) {
                                // the test fails on the answer
                            }
                        });
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
