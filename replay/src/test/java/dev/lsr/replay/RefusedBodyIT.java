package dev.lsr.replay;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A request the server refuses (no key, a foreign {@code Host}, a route it does not serve) is answered before its
 * body matters, and its body is not read to its end: a client streaming a large, endless or slow body into a
 * refused request must not hold a handler thread and its connection for as long as it keeps sending.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefusedBodyIT {

    private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(3);
    private static final Duration CLOSED_WITHIN = Duration.ofSeconds(10);

    private ReplayServer open;
    private ReplayServer keyed;

    @BeforeAll
    void start(KafkaBroker kafka) throws Exception {
        String topic = kafka.uniqueTopic("refused");
        kafka.createTopic(topic, 1);
        open = server(kafka, topic, null);
        keyed = server(kafka, topic, "s3cret-refused");
    }

    @AfterAll
    void stop() {
        open.close();
        keyed.close();
    }

    @Test
    void anEndlessBodyOfARefusedRequestIsNotReadToItsEnd() throws Exception {
        assertEachRefusal(64 * 1024, Duration.ZERO);
    }

    @Test
    void aRefusedRequestIsAnsweredAtOnceWhileItsBodyTrickles() throws Exception {
        assertEachRefusal(256, Duration.ofMillis(50));
    }

    /**
     * An accepted route reads its body (a stream request's JSON, at most 64 KiB), but not at whatever pace the client
     * likes: a body trickling in held the handler thread and the connection until it reached that size (here about
     * 25 minutes).
     */
    @Test
    void anAcceptedRequestsTricklingBodyIsReadForABoundedTimeOnly() throws Exception {
        String head = "POST /v1/runs/run-1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n";
        try (BodySender sender = new BodySender(open.port(), head, 8, Duration.ofMillis(200))) {
            sender.expectClosed(Duration.ofSeconds(20));
        }
    }

    /** Each refusal answered within its bound, and its connection closed within its bound, failures reported together. */
    private void assertEachRefusal(int chunkBytes, Duration pause) {
        assertAll(Arrays.stream(Refused.values()).map(refused -> () -> {
            try (BodySender sender = new BodySender(port(refused), refused.head, chunkBytes, pause)) {
                sender.expectStatus(refused.status);
                sender.expectClosed();
            }
        }));
    }

    private int port(Refused refused) {
        return refused == Refused.NO_KEY ? keyed.port() : open.port();
    }

    private enum Refused {
        NOT_SERVED(501, "POST /v1/agents/agent-1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"),
        FOREIGN_HOST(421, "POST /v1/runs/run-1/stream HTTP/1.1\r\nHost: evil.example\r\n"),
        NO_KEY(401, "POST /v1/runs/run-1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n");

        final int status;
        final String head;

        Refused(int status, String head) {
            this.status = status;
            this.head = head + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        }
    }

    /** A chunked request whose body never ends: its chunks go out from another thread until the server closes. */
    private static final class BodySender implements AutoCloseable {
        private final Socket socket;
        private final Thread writer;
        private final AtomicLong sent = new AtomicLong();
        private final String head;

        BodySender(int port, String head, int chunkBytes, Duration pause) throws IOException {
            this.head = head.substring(0, head.indexOf('\r'));
            socket = new Socket("127.0.0.1", port);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(ISO_8859_1));
            out.flush();
            byte[] chunk =
                    (Integer.toHexString(chunkBytes) + "\r\n" + "x".repeat(chunkBytes) + "\r\n").getBytes(ISO_8859_1);
            writer = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        out.write(chunk);
                        out.flush();
                        sent.addAndGet(chunkBytes);
                        if (!pause.isZero()) {
                            Thread.sleep(pause);
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed the connection (or the test ended)
                }
            });
        }

        void expectStatus(int status) throws IOException {
            socket.setSoTimeout((int) ANSWERED_WITHIN.toMillis());
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try {
                for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                    line.write(b);
                }
            } catch (SocketTimeoutException e) {
                fail(head + ": no answer within " + ANSWERED_WITHIN + " while the body was being sent (" + sent.get()
                        + " bytes so far)");
            }
            String statusLine = line.toString(ISO_8859_1);
            assertTrue(statusLine.startsWith("HTTP/1.1 " + status + " "), head + ": " + statusLine);
        }

        void expectClosed() throws InterruptedException {
            expectClosed(CLOSED_WITHIN);
        }

        void expectClosed(Duration within) throws InterruptedException {
            if (!writer.join(within)) {
                fail(head + ": the server still read the body " + within + " after the request (" + sent.get()
                        + " bytes so far)");
            }
        }

        @Override
        public void close() throws IOException {
            writer.interrupt();
            socket.close();
        }
    }

    private static ReplayServer server(KafkaBroker kafka, String topic, String key) throws InterruptedException {
        ReplayServer server = ReplayServer.builder()
                .clientProperties(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .topic(topic)
                .port(0)
                .apiKey(key)
                .start();
        assertTrue(server.awaitIndexed(Duration.ofSeconds(60)), "indexed");
        return server;
    }
}
