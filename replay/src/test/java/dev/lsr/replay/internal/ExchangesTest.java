package dev.lsr.replay.internal;

import static dev.lsr.kernel.http.testing.NeverReadingClient.blockedInAWrite;
import static dev.lsr.kernel.http.testing.NeverReadingClient.closedByServer;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.lsr.kernel.http.Answers;
import dev.lsr.kernel.http.WriteDeadline;
import dev.lsr.kernel.http.testing.NeverReadingClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Every JSON answer of the replay server (the runs list, a run, a problem) goes out through {@link Exchanges#json}. A
 * client that asks for a large one and reads nothing fills the socket buffers; the JDK server has no write timeout,
 * so before, the write blocked until TCP gave up (about 15 minutes), holding the handler's thread and connection.
 */
class ExchangesTest {

    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(1);
    /** Far more than the socket buffers hold (a runs list of 1,000 runs with large metadata). */
    private static final byte[] LARGE = largeJson(32 * 1024 * 1024);

    @Test
    void aLargeJsonAnswerWhoseClientNeverReadsEndsAfterTheWriteTimeout() throws Exception {
        CountDownLatch answered = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        AtomicReference<Thread> handler = new AtomicReference<>();
        AtomicReference<IOException> thrown = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                handler.set(Thread.currentThread());
                answered.countDown();
                Exchanges.json(exchange, 200, LARGE, WRITE_TIMEOUT);
            } catch (IOException e) {
                thrown.set(e);
                throw e;
            } finally {
                released.countDown();
            }
        });
        server.start();
        long stalledBefore = Answers.stalled();
        try (Socket socket = NeverReadingClient.send(
                server.getAddress().getPort(), "GET /v1/runs/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")) {
            assertTrue(answered.await(10, TimeUnit.SECONDS), "the request reached the handler");
            await("the handler's write blocks: the socket buffers are full")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> released.getCount() == 0 || blockedInAWrite(handler.get()));
            Duration margin = Duration.ofSeconds(10);

            assertTrue(
                    released.await(WRITE_TIMEOUT.plus(margin).toMillis(), TimeUnit.MILLISECONDS),
                    "the handler still writes its answer "
                            + WRITE_TIMEOUT.plus(margin).toSeconds()
                            + " s after its write blocked, with a write timeout of "
                            + WRITE_TIMEOUT);
            // not merely ended early (the wait above passes then too): a write blocked, past the write timeout
            assertInstanceOf(WriteDeadline.StalledException.class, thrown.get(), "what the answer's writes threw");
            assertEquals(stalledBefore + 1, Answers.stalled(), "stalled answers counted");
            assertTrue(closedByServer(socket), "the server closed the connection");
        } finally {
            server.stop(0);
        }
    }

    private static byte[] largeJson(int size) {
        byte[] json = new byte[size];
        Arrays.fill(json, (byte) 'x');
        json[0] = '"';
        json[size - 1] = '"';
        return json;
    }
}
