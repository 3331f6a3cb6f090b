package dev.lsr.replay;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ReplayServer.close() "stops at once: the connections close". The proxy's HttpClient (and, since fix7, its own
 * cached pool of virtual threads) is never closed: a closed ReplayServer keeps its kept-alive connection to the
 * upstream open (and the JDK client's SelectorManager platform thread running) until the client is garbage
 * collected or the connection's keep-alive time ends. Each ReplayServer an embedder or a test starts and closes
 * leaves them behind.
 */
@ExtendWith(KafkaBrokerExtension.class)
class UpstreamProxyCloseIT {

    @Test
    void closingTheServerClosesItsUpstreamConnections(KafkaBroker broker) throws Exception {
        CountDownLatch closedByProxy = new CountDownLatch(1);
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual()
                    .start(
                            () -> { // answers one request, keeps the connection, notes its end
                                try (Socket s = upstream.accept()) {
                                    InputStream in = s.getInputStream();
                                    int state = 0;
                                    while (state < 4) { // up to the end of the request's headers
                                        int c = in.read();
                                        if (c < 0) {
                                            return;
                                        }
                                        state = (c == '\r' && state % 2 == 0) || (c == '\n' && state % 2 == 1)
                                                ? state + 1
                                                : 0;
                                    }
                                    OutputStream out = s.getOutputStream();
                                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"
                                            .getBytes(StandardCharsets.ISO_8859_1));
                                    out.flush();
                                    if (in.read() < 0) {
                                        closedByProxy.countDown();
                                    }
                                } catch (IOException e) {
                                    closedByProxy.countDown(); // reset: closed too
                                }
                            });
            String topic = broker.uniqueTopic("upstream-close");
            broker.createTopic(topic, 1);
            ReplayServer server = ReplayServer.builder()
                    .clientProperties(Map.of("bootstrap.servers", broker.bootstrapServers()))
                    .topic(topic)
                    .port(0)
                    .upstream(URI.create("http://127.0.0.1:" + upstream.getLocalPort()))
                    .start();
            try (server) {
                assertTrue(server.awaitIndexed(Duration.ofSeconds(60)), "indexed");
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                    client.setSoTimeout(10_000);
                    client.getOutputStream()
                            .write("GET /v1/agents HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                                    .getBytes(StandardCharsets.ISO_8859_1));
                    String response = new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                    assertTrue(response.startsWith("HTTP/1.1 200"), response);
                }
            }
            long selectors = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().endsWith("SelectorManager"))
                    .count();
            assertTrue(
                    closedByProxy.await(5, TimeUnit.SECONDS),
                    "the upstream connection of a closed ReplayServer is still open 5 s after close() (" + selectors
                            + " HttpClient SelectorManager thread(s) alive)");
        }
    }
}
