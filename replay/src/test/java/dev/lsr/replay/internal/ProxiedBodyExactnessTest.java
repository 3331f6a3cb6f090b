package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Request bodies through the proxy to a real upstream that answers each body's SHA-256: byte for byte. */
class ProxiedBodyExactnessTest {

    @RegisterExtension
    final Upstreams.ShaEchoProxy echo = new Upstreams.ShaEchoProxy(Duration.ofSeconds(10));

    @Test
    void aLargeBodyOfAKnownLengthArrivesWhole() throws Exception {
        byte[] body = RawHttp.random(6 << 20, 1);
        try (Socket socket = echo.connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(Upstreams.ShaEchoProxy.head("Content-Length: " + body.length));
            write(out, body);
            assertEquals(Upstreams.sha(body), RawHttp.okBody(socket.getInputStream()));
        }
    }

    @Test
    void aLargeChunkedBodyArrivesWhole() throws Exception {
        byte[] body = RawHttp.random((5 << 20) + 12345, 2);
        try (Socket socket = echo.connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(Upstreams.ShaEchoProxy.head("Transfer-Encoding: chunked"));
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
            assertEquals(Upstreams.sha(body), RawHttp.okBody(socket.getInputStream()));
        }
    }

    @Test
    void pipelinedRequestsEachGetTheirOwnBody() throws Exception {
        byte[] first = RawHttp.random(100_000, 4);
        byte[] second = RawHttp.random(70_000, 5);
        try (Socket socket = echo.connect()) {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.write(Upstreams.ShaEchoProxy.head("Content-Length: " + first.length));
            both.write(first);
            both.write(Upstreams.ShaEchoProxy.head("Content-Length: " + second.length));
            both.write(second);
            write(socket.getOutputStream(), both.toByteArray());
            InputStream in = socket.getInputStream();
            assertEquals(Upstreams.sha(first), RawHttp.okBody(in), "the first request's body");
            assertEquals(Upstreams.sha(second), RawHttp.okBody(in), "the second request's body");
        }
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
}
