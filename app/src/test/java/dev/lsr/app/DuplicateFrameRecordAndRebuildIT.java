package dev.lsr.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.Position;
import dev.lsr.consumer.projection.transcript.Transcript;
import dev.lsr.consumer.projection.transcript.TranscriptFold;
import dev.lsr.consumer.reader.ChunkLogReader;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.reader.ReplayProgress;
import dev.lsr.consumer.reader.RunEnd;
import dev.lsr.consumer.reader.RunFilter;
import dev.lsr.consumer.reader.RunRecord;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.recorder.RecorderConfig;
import dev.lsr.recorder.RecorderDaemon;
import dev.lsr.recorder.RunOutcome;
import dev.lsr.recorder.testing.SimForwarding;
import dev.lsr.recorder.testing.SimFrames;
import dev.lsr.sim.LettaSim;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * End to end, against a real broker: a stream that sends its last {@code seq_id} frame twice (as a
 * server may when it replays the frame a connection ended on) and then the seq-less chunks
 * ({@code stop_reason}, {@code usage_statistics}) is recorded by the recorder and rebuilt by the
 * consumer. Every chunk is in the log exactly once, at the position the rule gives it ({@code (seq,
 * 0)} for a chunk with a {@code seq_id}, {@code (lastSeq, k)} for the k-th seq-less chunk after it),
 * and the rebuild finds no repeat and no gap.
 */
@ExtendWith(KafkaBrokerExtension.class)
class DuplicateFrameRecordAndRebuildIT {

    @Test
    void aRepeatedLastSeqFrameThenSeqLessChunksIsRecordedOnceAndRebuiltWithoutAGap(KafkaBroker broker)
            throws Exception {
        String topic = broker.uniqueTopic("dup-last-seq");
        try (LettaSim sim = LettaSim.builder().start();
                RepeatingFront front = new RepeatingFront(sim.baseUrl())) {
            String runId = startRun(sim);
            List<String> served = SimFrames.payloads(sim, runId);
            RecorderDaemon daemon = RecorderDaemon.create(RecorderConfig.builder(front.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .partitions(1)
                    .agentIds(List.of("agent-watching-nobody"))
                    .backoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                    .build());
            Thread thread = Thread.ofPlatform().start(daemon);
            assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)));
            RunOutcome outcome = daemon.attach(runId).get(60, TimeUnit.SECONDS);
            daemon.close();
            thread.join(30_000);
            assertEquals(RunOutcome.Kind.FINISHED, outcome.kind(), String.valueOf(outcome));
            assertTrue(front.repeatedFrames() > 0, "the front served the last seq frame twice");

            List<ReplayEvent> events = new ArrayList<>();
            try (ChunkLogReader reader = ChunkLogReader.open(
                    Map.of("bootstrap.servers", broker.bootstrapServers()), topic, Duration.ofSeconds(30))) {
                reader.replay(RunFilter.run(runId), events::add, ReplayProgress.NONE);
            }

            List<RunRecord> chunks = events.stream()
                    .filter(ReplayEvent.Chunk.class::isInstance)
                    .map(e -> ((ReplayEvent.Chunk) e).record())
                    .toList();
            assertEquals(
                    List.of(),
                    events.stream()
                            .filter(e -> e instanceof ReplayEvent.Chunk chunk && chunk.isRepeat())
                            .map(e ->
                                    ((ReplayEvent.Chunk) e).record().position().toString())
                            .toList(),
                    "the log holds every chunk once: no repeat for the reader to drop");
            assertEquals(served, chunks.stream().map(RunRecord::valueText).toList(), "every chunk, in order");
            assertEquals(
                    expectedPositions(served),
                    chunks.stream().map(RunRecord::position).toList());
            assertEquals(
                    List.of(),
                    events.stream()
                            .filter(e -> e instanceof ReplayEvent.Gap)
                            .map(e -> ((ReplayEvent.Gap) e).problem().describe())
                            .toList(),
                    "no gap");
            ReplayEvent.End end = (ReplayEvent.End) events.getLast();
            assertEquals(RunEnd.Outcome.ENDED, end.end().outcome());

            TranscriptFold fold = new TranscriptFold();
            events.forEach(fold::apply);
            Transcript transcript = fold.transcript();
            assertEquals(List.of(), transcript.duplicates());
            assertEquals(List.of(), transcript.gaps());
            assertEquals("completed", transcript.status());
        }
    }

    /** The rule, written out as the oracle: {@code (seq, 0)}, then {@code (lastSeq, k)} for seq-less chunks. */
    private static List<Position> expectedPositions(List<String> payloads) throws IOException {
        List<Position> positions = new ArrayList<>();
        long lastSeq = 0;
        int sinceSeq = 0;
        for (String payload : payloads) {
            JsonNode seq = Json.MAPPER.readTree(payload).get("seq_id");
            if (seq != null && seq.isIntegralNumber()) {
                lastSeq = seq.longValue();
                sinceSeq = 0;
                positions.add(new Position(lastSeq, 0));
            } else {
                positions.add(new Position(lastSeq, ++sinceSeq));
            }
        }
        return positions;
    }

    /** A background run sent to the simulator directly; with no pace it ends at once. */
    private static String startRun(LettaSim sim) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/agents/agent-dup/messages/stream"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"background\":true}"))
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        return sim.runIds().getLast();
    }

    /**
     * A protocol-speaking front of the simulator that forwards every request and, in every run stream
     * it serves, sends the last frame carrying a {@code seq_id} twice in a row.
     */
    private static final class RepeatingFront implements AutoCloseable {
        private static final Pattern SEQ = Pattern.compile("\"seq_id\"\\s*:\\s*\\d+");

        private final HttpServer server;
        private final HttpClient upstream = HttpClient.newHttpClient();
        private final String simUrl;
        private volatile int repeated;

        RepeatingFront(String simUrl) throws IOException {
            this.simUrl = simUrl;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::forward);
            server.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        int repeatedFrames() {
            return repeated;
        }

        private void forward(HttpExchange exchange) throws IOException {
            try (exchange) {
                SimForwarding.forward(exchange, simUrl, upstream, this::repeatLastSeqFrame);
            }
        }

        /** The SSE body with its last non-ping frame that carries a {@code seq_id} sent twice. */
        private byte[] repeatLastSeqFrame(byte[] body) {
            List<String> frames = new ArrayList<>(Arrays.asList(new String(body, UTF_8).split("(?<=\n\n)")));
            for (int i = frames.size() - 1; i >= 0; i--) {
                String frame = frames.get(i);
                if (SEQ.matcher(frame).find() && !frame.contains("\"ping\"")) {
                    frames.add(i + 1, frame);
                    repeated++;
                    break;
                }
            }
            return String.join("", frames).getBytes(UTF_8);
        }

        @Override
        public void close() {
            server.stop(0);
            upstream.close();
        }
    }
}
