package dev.lsr.replay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RecordType;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A run the log holds up to a point and then ends without its final frame (Letta expired it before the recorder
 * read the rest: {@code run.expired}) has nothing more to stream. A resume from its last frame is answered 410, as
 * Letta answers for a run it no longer keeps: before, it got an empty 200, and a client that resumes until
 * {@code [DONE]} (the SDK's plain loop) came back forever.
 */
@ExtendWith(KafkaBrokerExtension.class)
class EndedWithoutFinalFrameIT {

    private static final String FIXTURE = "05-long-run-with-pings";

    @Test
    void aResumeAfterTheLastFrameOfARunThatExpiredIsGone(KafkaBroker kafka) throws Exception {
        String topic = kafka.uniqueTopic("expired");
        kafka.createTopic(topic, 1);
        List<ChunkLogRecord> records =
                expiredAfter(200, FixtureLog.of(FIXTURE).unfinished().records());
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(records);
        }
        String run = FixtureLog.originalRunId(FIXTURE);
        try (ReplayServer server = indexedServer(kafka, topic)) {

            HttpResponse<String> whole = stream(server, run, "{}");
            assertEquals(200, whole.statusCode());
            assertTrue(whole.body().contains("\"seq_id\":200"), "the frames the log holds are served");
            assertFalse(whole.body().contains("[DONE]"), "and no final frame the log does not hold");

            HttpResponse<String> resume = stream(server, run, "{\"starting_after\": 200}");
            assertEquals(410, resume.statusCode(), resume.body());
            assertTrue(resume.body().contains("run.expired"), resume.body());
        }
    }

    /**
     * The recorder keeps the seq-less frames after a run's last {@code seq_id} (stop_reason, usage) when the run then
     * expires: a client resumes from that last {@code seq_id}, the only number it knows, and is answered 410 there.
     */
    @Test
    void aResumeFromTheLastSeqIdOfARunThatExpiredAfterItsSeqLessFramesIsGone(KafkaBroker kafka) throws Exception {
        String topic = kafka.uniqueTopic("expired-tail");
        kafka.createTopic(topic, 1);
        List<ChunkLogRecord> records =
                expiredAfter(Long.MAX_VALUE, FixtureLog.of(FIXTURE).unfinished().records());
        long lastSeq = records.stream()
                .filter(r -> r.type() == RecordType.CHUNK)
                .mapToLong(r -> r.position().seq())
                .max()
                .orElseThrow();
        assertTrue(
                records.stream()
                        .anyMatch(r ->
                                r.type() == RecordType.CHUNK && r.position().sub() > 0),
                "the fixture ends with seq-less frames");
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(records);
        }
        try (ReplayServer server = indexedServer(kafka, topic)) {

            HttpResponse<String> resume =
                    stream(server, FixtureLog.originalRunId(FIXTURE), "{\"starting_after\": " + lastSeq + "}");

            assertEquals(410, resume.statusCode(), resume.body());
        }
    }

    /**
     * A run Letta said had ended, whose end the recorder never read (Letta lost the stored stream, protocol §3.3):
     * the log holds its frames up to seq 200, a {@code run.gap} from 201 to the unknown end (cause {@code unread}),
     * then {@code run.finished}. That finish is no {@code [DONE]} the recorder read: the body ends without one, and
     * a resume from the last frame is answered 410, as for a run that expired. Before, the replay sent {@code [DONE]}
     * after seq 200, so a client took the run's missing tail (its stop_reason and usage among it) as complete.
     */
    @Test
    void aRunWhoseEndWasNeverReadEndsWithoutDoneAndItsResumeIsGone(KafkaBroker kafka) throws Exception {
        String topic = kafka.uniqueTopic("unread-end");
        kafka.createTopic(topic, 1);
        List<ChunkLogRecord> records =
                upTo(200, FixtureLog.of(FIXTURE).unfinished().records());
        ChunkLogRecord last = records.getLast();
        records.add(FixtureLog.recorderRecordAt(last, new LifecycleEvent.RunGap(201, null, "unread")));
        records.add(FixtureLog.recorderRecordAt(last, new LifecycleEvent.RunFinished(null, "completed", null)));
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(records);
        }
        String run = FixtureLog.originalRunId(FIXTURE);
        try (ReplayServer server = indexedServer(kafka, topic)) {

            HttpResponse<String> whole = stream(server, run, "{}");
            assertEquals(200, whole.statusCode());
            assertTrue(whole.body().contains("\"seq_id\":200"), "the frames the log holds are served");
            assertFalse(whole.body().contains("[DONE]"), "and no final frame the recorder never read");

            HttpResponse<String> resume = stream(server, run, "{\"starting_after\": 200}");
            assertEquals(410, resume.statusCode(), resume.body());
            assertTrue(resume.body().contains("run.gap"), resume.body());
        }
    }

    /** The run's records up to seq {@code lastSeq}, then the recorder's run.expired. */
    private static List<ChunkLogRecord> expiredAfter(long lastSeq, List<ChunkLogRecord> records) {
        List<ChunkLogRecord> kept = upTo(lastSeq, records);
        kept.add(FixtureLog.recorderRecordAt(
                kept.getLast(),
                new LifecycleEvent.RunRefused(RecordType.RUN_EXPIRED, 410, "Run is older than 3 hours")));
        return kept;
    }

    /** The run's records before its first chunk past seq {@code lastSeq}. */
    private static List<ChunkLogRecord> upTo(long lastSeq, List<ChunkLogRecord> records) {
        List<ChunkLogRecord> kept = new ArrayList<>();
        for (ChunkLogRecord record : records) {
            if (record.type() == RecordType.CHUNK && record.position().seq() > lastSeq) {
                break;
            }
            kept.add(record);
        }
        return kept;
    }

    private static ReplayServer indexedServer(KafkaBroker kafka, String topic) throws InterruptedException {
        ReplayServer server = ReplayServer.builder()
                .clientProperties(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .topic(topic)
                .port(0)
                .start();
        boolean indexed = server.awaitIndexed(Duration.ofSeconds(60));
        if (!indexed) {
            server.close();
        }
        assertTrue(indexed, "indexed");
        return server;
    }

    private static HttpResponse<String> stream(ReplayServer server, String run, String body) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(server.baseUrl().resolve("/v1/runs/" + run + "/stream"))
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
