package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
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
            Answer answer = read(socket.getInputStream(), "the answer to a POST whose body stopped after 10 bytes");
            assertEquals(502, answer.status(), answer.toString());
            assertTrue(answer.headers().contains("connection: close"), answer.toString());
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
        List<Socket> held = new ArrayList<>();
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual()
                    .start(
                            () -> { // reads every request, answers none
                                try {
                                    while (true) {
                                        Socket s = upstream.accept();
                                        held.add(s);
                                        Thread.ofVirtual().start(() -> {
                                            try {
                                                s.getInputStream().transferTo(OutputStream.nullOutputStream());
                                            } catch (IOException e) {
                                                // closed
                                            }
                                        });
                                    }
                                } catch (IOException e) {
                                    // closed
                                }
                            });
            HttpServer proxy = proxyTo(upstream.getLocalPort());
            try (Socket socket = client(proxy)) {
                socket.setSoTimeout(10_000);
                Answer answer;
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
        } finally {
            for (Socket s : held) {
                s.close();
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
        List<Socket> held = new ArrayList<>();
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual()
                    .start(
                            () -> { // reads every request after 1.5 s, answers none
                                try {
                                    while (true) {
                                        Socket s = upstream.accept();
                                        held.add(s);
                                        Thread.ofVirtual().start(() -> {
                                            try {
                                                Thread.sleep(1500);
                                                s.getInputStream().transferTo(OutputStream.nullOutputStream());
                                            } catch (IOException | InterruptedException e) {
                                                // closed
                                            }
                                        });
                                    }
                                } catch (IOException e) {
                                    // closed
                                }
                            });
            HttpServer proxy = proxyTo(upstream.getLocalPort(), Duration.ofSeconds(3));
            try (Socket socket = new Socket()) {
                socket.setSoTimeout(20_000);
                socket.connect(new InetSocketAddress(
                        InetAddress.getLoopbackAddress(), proxy.getAddress().getPort()));
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/agents/agent-1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Content-Type: application/json\r\nContent-Length: " + (64 << 20) + "\r\n\r\n")
                        .getBytes(ISO_8859_1));
                Thread.ofVirtual().start(() -> {
                    try {
                        out.write(new byte[16 << 20]); // a quarter of it, then nothing
                        out.flush();
                    } catch (IOException e) {
                        // the proxy closed the connection
                    }
                });
                InputStream in = socket.getInputStream();
                Answer answer = read(in, "the answer to a POST whose body stopped after 16 of 64 MiB");
                assertEquals(408, answer.status(), answer.toString());
                assertTrue(answer.headers().contains("connection: close"), answer.toString());
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
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    private static HttpServer proxyTo(int upstreamPort) throws IOException {
        return proxyTo(upstreamPort, Duration.ofSeconds(1));
    }

    private static HttpServer proxyTo(int upstreamPort, Duration upstreamTimeout) throws IOException {
        HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        proxy.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        proxy.createContext(
                "/",
                new UpstreamProxy(
                        URI.create("http://127.0.0.1:" + upstreamPort),
                        false,
                        null,
                        upstreamTimeout,
                        Duration.ofSeconds(10)));
        proxy.start();
        return proxy;
    }

    /** A connection that sent a POST's headers (Content-Length 100000) and 10 bytes of its body, then nothing. */
    private static Socket client(HttpServer proxy) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(20_000);
        socket.connect(new InetSocketAddress(
                InetAddress.getLoopbackAddress(), proxy.getAddress().getPort()));
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/agents/agent-1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + DECLARED + "\r\n\r\n")
                .getBytes(ISO_8859_1));
        out.write(new byte[SENT]);
        out.flush();
        return socket;
    }

    private record Answer(int status, List<String> headers, String body) {}

    /** One whole answer: status line, headers (lower case), a body of its Content-Length. */
    private static Answer read(InputStream in, String what) throws IOException {
        try {
            String statusLine = line(in);
            if (statusLine == null) {
                fail(what + ": the connection ended first, no answer");
            }
            List<String> headers = new ArrayList<>();
            int length = 0;
            for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
                String header = line.toLowerCase(Locale.ROOT);
                headers.add(header);
                if (header.startsWith("content-length:")) {
                    length = Integer.parseInt(
                            header.substring("content-length:".length()).strip());
                }
            }
            String body = new String(in.readNBytes(length), ISO_8859_1);
            return new Answer(Integer.parseInt(statusLine.split(" ")[1]), headers, body);
        } catch (SocketException e) {
            throw new AssertionError(what + ": the client lost it to " + e, e);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return line.size() == 0 ? null : line.toString(ISO_8859_1);
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(ISO_8859_1);
    }
}
