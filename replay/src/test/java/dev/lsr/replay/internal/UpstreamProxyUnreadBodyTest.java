package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A proxied request the upstream fails before its body is passed on (no upstream listening: 502; one that takes the
 * request and never answers: 504) is answered without the proxy having read the client's body. A client that sent a
 * body of {@link #BODY} bytes on a kept-alive connection must get that answer whole, and then an answer to its next
 * request on the same connection (or be told {@code Connection: close} and see the connection end cleanly): never a
 * reset that loses the answer, nor the body's bytes read as the next request. An upstream that read the body in part
 * ("halfread": its headers and 64 KiB, then nothing) leaves the rest, which the client sent at once, to the proxy: it
 * reads it and keeps the connection.
 */
class UpstreamProxyUnreadBodyTest {

    private static final int BODY = 3 * 1024 * 1024; // more than a "halfread" upstream's connection holds unread

    @ParameterizedTest
    @ValueSource(strings = {"unreachable", "silent", "halfread"})
    void anUpstreamFailureLeavesTheClientsConnectionUsable(String upstreamKind) throws Exception {
        ServerSocket listening = new ServerSocket();
        // so that a "halfread" upstream leaves the JDK client's reads waiting
        listening.setReceiveBufferSize(16 * 1024);
        listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        if (upstreamKind.equals("unreachable")) {
            listening.close(); // nothing listens there any more (its port stays known)
        }
        // "silent" reads each request whole, "halfread" its headers and 64 KiB of its body; neither answers
        long bodyRead = upstreamKind.equals("silent") ? Long.MAX_VALUE : 64 * 1024;
        try (Upstreams.Silent upstream = Upstreams.silent(listening, s -> readRequests(s, bodyRead))) {
            HttpServer proxy = Upstreams.proxyTo(upstream.port(), Duration.ofSeconds(1));
            int expected = upstreamKind.equals("unreachable") ? 502 : 504;
            try (Socket socket = RawHttp.connect(proxy, 20_000)) {
                OutputStream out = socket.getOutputStream();
                Thread sender = Thread.ofVirtual().start(() -> {
                    try {
                        out.write(RawHttp.postHead(
                                "/v1/agents/agent-1/messages", "application/json", "Content-Length: " + BODY));
                        out.write(new byte[BODY]);
                        out.flush();
                    } catch (IOException e) {
                        // the proxy closed the connection: the reads below say what the client saw
                    }
                });
                InputStream in = socket.getInputStream();
                RawHttp.Answer first = read(in, "the answer to the POST whose body the upstream never got whole");
                assertEquals(expected, first.status(), first.toString());
                if (upstreamKind.equals("halfread")) { // the rest came at once: the proxy read it, kept the connection
                    assertFalse(first.closes(), first.toString());
                }
                sender.join(20_000);
                if (first.closes()) {
                    assertEquals(-1, readOrReset(in), "the end of a connection the answer said it closes");
                    return;
                }
                out.write("GET /v1/agents/agent-1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(ISO_8859_1));
                out.flush();
                RawHttp.Answer second = read(in, "the answer to the next request on the same connection");
                assertEquals(expected, second.status(), second.toString());
            } finally {
                proxy.stop(0);
            }
        }
    }

    /** One whole answer: status line, headers, a body of its Content-Length. */
    private static RawHttp.Answer read(InputStream in, String what) throws IOException {
        RawHttp.Answer answer = RawHttp.read(in, what);
        if (answer.statusLine() == null) {
            fail(what + ": the connection ended first");
        }
        assertFalse(answer.statusLine().isEmpty(), what + ": an empty status line");
        return answer;
    }

    private static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException e) {
            throw new AssertionError("the connection was reset, not closed: " + e, e);
        }
    }

    /**
     * Reads the requests that come on {@code s}: each one's headers, and its body (a {@code Content-Length}'s) up to
     * {@code bodyRead} bytes; after a body read in part, nothing more.
     */
    private static void readRequests(Socket s, long bodyRead) {
        try {
            InputStream in = s.getInputStream();
            for (String first = RawHttp.line(in); first != null; first = RawHttp.line(in)) {
                long length = 0;
                for (String line = RawHttp.line(in); line != null && !line.isEmpty(); line = RawHttp.line(in)) {
                    String header = line.toLowerCase(Locale.ROOT);
                    if (header.startsWith("content-length:")) {
                        length = Long.parseLong(
                                header.substring("content-length:".length()).strip());
                    }
                }
                in.skipNBytes(Math.min(length, bodyRead));
                if (length > bodyRead) {
                    return; // the socket stays open, unread
                }
            }
        } catch (IOException e) {
            // closed
        }
    }
}
