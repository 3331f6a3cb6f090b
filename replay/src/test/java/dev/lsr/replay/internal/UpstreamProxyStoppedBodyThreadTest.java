package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * BodyRelay: "a client that stops sending blocks this thread only, never the handler nor an HttpClient worker";
 * ProxiedRequestBody: "a read blocked on a client that stopped holds no thread but the relay's". The JDK client pulls
 * the body ({@code BodyPublishers.ofInputStream}) in its executor's platform threads, and {@code BodyRelay.pull}
 * parks that thread for up to the upstream timeout (5 minutes by default): one platform thread per stopped body.
 */
class UpstreamProxyStoppedBodyThreadTest {

    @Test
    void aStoppedBodyHoldsNoPlatformThread() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
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
            HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            proxy.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            proxy.createContext(
                    "/",
                    new UpstreamProxy(
                            URI.create("http://127.0.0.1:" + upstream.getLocalPort()),
                            false,
                            null,
                            Duration.ofSeconds(5),
                            Duration.ofSeconds(10)));
            proxy.start();
            try (Socket socket = new Socket()) {
                socket.setSoTimeout(10_000);
                socket.connect(new InetSocketAddress(
                        InetAddress.getLoopbackAddress(), proxy.getAddress().getPort()));
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/agents/agent-1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
                        .getBytes(ISO_8859_1));
                out.write(new byte[10]); // then nothing
                out.flush();
                Thread.sleep(2000); // the proxy waits for the rest of the body (upstream timeout 5 s)
                List<String> waiting = Thread.getAllStackTraces().entrySet().stream()
                        .filter(e -> java.util.Arrays.stream(e.getValue())
                                .anyMatch(f -> f.getClassName().equals(BodyRelay.class.getName())
                                        && f.getMethodName().equals("pull")))
                        .map(e -> e.getKey().getName())
                        .toList();
                assertTrue(
                        waiting.isEmpty(), "platform threads waiting for a stopped client's request body: " + waiting);
            } finally {
                proxy.stop(0);
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
