package dev.lsr.replay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client that goes away from a live stream that has nothing to send. The server finds a gone client only when a
 * write fails; with pings the keepalive writes one every {@code --keepalive} of silence, but without pings
 * ({@code include_pings: false}) the stream wrote nothing until the run's next frame or the 30-minute limit, so it
 * held its thread, its live feed and its connection for up to 30 minutes.
 */
@ExtendWith(KafkaBrokerExtension.class)
class GoneClientIT {

    private static final Duration KEEPALIVE = Duration.ofMillis(300);

    @Test
    void aClientGoneFromASilentStreamWithoutPingsIsNoticedWithinTwoKeepalives(KafkaBroker kafka) throws Exception {
        String topic = kafka.uniqueTopic("gone");
        kafka.createTopic(topic, 1);
        String runId = "run-gone-0000-4000-8000-000000000001";
        List<ChunkLogRecord> records =
                FixtureLog.of("01-simple-reply").runId(runId).records();
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic);
                ReplayServer server = ReplayServer.builder()
                        .clientProperties(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                        .topic(topic)
                        .port(0)
                        .keepalive(KEEPALIVE)
                        .start()) {
            producer.append(records.subList(0, records.size() / 2)); // a run still being recorded
            await().atMost(Duration.ofSeconds(30)).until(() -> server.indexedRuns() == 1);

            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(10_000);
                String body = "{\"include_pings\":false}";
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/runs/" + runId + "/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n"
                                + body)
                        .getBytes(UTF_8));
                out.flush();
                readUntil(socket.getInputStream(), "\"seq_id\":");
                assertEquals(1, server.openStreams(), "the stream is open, tailing the run");
            } // the client goes away

            long gone = System.nanoTime();
            await("the server ends the gone client's stream")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> server.openStreams() == 0);
            Duration noticedAfter = Duration.ofNanos(System.nanoTime() - gone);
            assertTrue(
                    noticedAfter.compareTo(KEEPALIVE.multipliedBy(2).plusSeconds(1)) <= 0,
                    "the gone client was noticed after " + noticedAfter);
        }
    }

    private static void readUntil(InputStream in, String marker) throws Exception {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        while (!received.toString(UTF_8).contains(marker)) {
            int n = in.read(chunk);
            assertTrue(n >= 0, "the response ended early: " + received.toString(UTF_8));
            received.write(chunk, 0, n);
        }
    }
}
