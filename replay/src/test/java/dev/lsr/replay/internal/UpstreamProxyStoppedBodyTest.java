package dev.lsr.replay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A client that stops sending its request body mid-way (a stalled or gone client, its connection still open) into a
 * proxied request the upstream fails. docs/replay-server.md: "A longer or slower body, and one the upstream read only
 * in part ..., is answered with {@code Connection: close} as before", and a refused body costs "at most 2 s".
 */
class UpstreamProxyStoppedBodyTest {

    private static final int DECLARED = 100_000;
    private static final int SENT = 10;

    /** Unreachable upstream (502): the proxy drains the body first; the client must still get the 502. */
    @Test
    void aStoppedBodyToAnUnreachableUpstreamIsStillAnswered() throws Exception {
        int port;
        try (ServerSocket gone = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = gone.getLocalPort(); // nothing listens there once closed
        }
        HttpServer proxy = proxyTo(port);
        try (Socket socket = client(proxy)) {
            RawHttp.Answer answer =
                    read(socket.getInputStream(), "the answer to a POST whose body stopped after 10 bytes");
            assertEquals(502, answer.status(), answer.toString());
            assertTrue(answer.closes(), answer.toString());
        } finally {
            proxy.stop(0);
        }
    }

    /**
     * An upstream that takes the request and waits for its body, as any server does (it never answers): the upstream
     * timeout (1 s here) must still bound the request, answered 408 (the client's doing). The JDK client reads the body for the upstream in
     * the handler's own thread, inside {@code HttpClient.send}, from the JDK server's request stream, which has no
     * timeout: with the client stopped, that read never returns, nor does the handler.
     */
    @Test
    void aStoppedBodyIsAnsweredWithinTheUpstreamTimeout() throws Exception {
        try (Upstreams.Silent upstream = Upstreams.silent(Duration.ZERO)) {
            HttpServer proxy = proxyTo(upstream.port());
            try (Socket socket = client(proxy)) {
                socket.setSoTimeout(10_000);
                RawHttp.Answer answer;
                try {
                    answer = read(socket.getInputStream(), "the answer to a POST whose body stopped after 10 bytes");
                } catch (SocketTimeoutException e) {
                    throw new AssertionError(
                            "no answer 10 s after a POST whose body stopped after 10 bytes (upstream"
                                    + " timeout 1 s): the handler is still reading the body for the upstream",
                            e);
                }
                assertEquals(408, answer.status(), answer.toString());
            } finally {
                proxy.stop(0);
            }
        }
    }

    /**
     * An upstream that takes its time to read the request (its socket buffers full meanwhile) and never answers (the stopped body is answered 408):
     * the JDK client then reads the body in its own worker thread, which blocks (holding the JDK server's synchronized
     * request stream) once the client stops. The 408 says {@code Connection: close}, and a refused body costs at most
     * 2 s (docs/replay-server.md): the connection must end soon after it. Closing the answer drains the body, which
     * waits for that monitor, not interruptible: the handler, its connection slot and the JDK client's worker stay
     * for as long as the client keeps its connection open.
     */
    @Test
    void aStoppedBodyTheUpstreamReadInPartEndsItsConnectionAfterThe408() throws Exception {
        try (Upstreams.Silent upstream = Upstreams.silent(Duration.ofMillis(1500))) {
            HttpServer proxy = Upstreams.proxyTo(upstream.port(), Duration.ofSeconds(3));
            try (Socket socket = RawHttp.connect(proxy, 20_000)) {
                OutputStream out = socket.getOutputStream();
                out.write(RawHttp.postHead(
                        "/v1/agents/agent-1/messages", "application/json", "Content-Length: " + (64 << 20)));
                Thread.ofVirtual().start(() -> {
                    try {
                        out.write(new byte[16 << 20]); // a quarter of it, then nothing
                        out.flush();
                    } catch (IOException e) {
                        // the proxy closed the connection
                    }
                });
                InputStream in = socket.getInputStream();
                RawHttp.Answer answer = read(in, "the answer to a POST whose body stopped after 16 of 64 MiB");
                assertEquals(408, answer.status(), answer.toString());
                assertTrue(answer.closes(), answer.toString());
                socket.setSoTimeout(10_000);
                try {
                    assertEquals(-1, in.read(), "after the 408, a byte");
                } catch (SocketTimeoutException e) {
                    throw new AssertionError(
                            "the connection a 408 said it closes was still open 10 s later: the handler waits, in"
                                    + " the body's drain, for the JDK client's blocked read of it",
                            e);
                } catch (SocketException e) {
                    // reset: ended all the same
                }
            } finally {
                proxy.stop(0);
            }
        }
    }

    private static HttpServer proxyTo(int upstreamPort) throws IOException {
        return Upstreams.proxyTo(upstreamPort, Duration.ofSeconds(1));
    }

    /** A connection that sent a POST's headers (Content-Length 100000) and 10 bytes of its body, then nothing. */
    private static Socket client(HttpServer proxy) throws IOException {
        Socket socket = RawHttp.connect(proxy, 20_000);
        RawHttp.stoppedPost(socket, DECLARED, SENT);
        return socket;
    }

    /** One whole answer: status line, headers, a body of its Content-Length. */
    private static RawHttp.Answer read(InputStream in, String what) throws IOException {
        RawHttp.Answer answer = RawHttp.read(in, what);
        if (answer.statusLine() == null) {
            fail(what + ": the connection ended first, no answer");
        }
        return answer;
    }
}
