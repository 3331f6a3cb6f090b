package dev.lsr.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.consumer.projection.Fixtures;
import dev.lsr.consumer.projection.lettacode.LettaCodeBuffers;
import dev.lsr.consumer.projection.lettacode.LettaCodeProjection;
import dev.lsr.consumer.projection.lettacode.Options;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Letta Code's resume logic (drainStreamWithResume, /work/shared/reference; the consumer's projection
 * mirrors its accumulation) pointed at the replay server through a connection cut mid-stream: the first
 * drain ends with a network error and no stop_reason, the client resumes from its last seq_id, and the
 * buffers equal the fixture's expected file.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LettaCodeResumeIT {

    @Test
    void aCutStreamResumedFromItsLastSeqRebuildsTheExpectedBuffers(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("replay-resume");
        broker.createTopic(topic, 1);
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            producer.append(FixtureLog.of("05-long-run-with-pings").records());
        }
        try (ReplayServer server = ReplayServer.builder()
                        .clientProperties(Map.of("bootstrap.servers", broker.bootstrapServers()))
                        .topic(topic)
                        .port(0)
                        .start();
                CuttingProxy proxy = new CuttingProxy(server.port(), 70_000)) {
            assertTrue(server.awaitIndexed(Duration.ofSeconds(60)));
            String run = ReplayServerIT.RUN_05;

            LettaCodeBuffers buffers = LettaCodeProjection.newSession(
                    Options.defaults().withTokenStreaming(false).withRunBoundary(Options.RunBoundary.NONE));
            SseClient.Drain first = SseClient.stream(URI.create("http://127.0.0.1:" + proxy.port()), null, run, 0);
            assertTrue(first.cut() && !first.sawDone(), "the first connection was cut");
            assertTrue(first.chunks().size() > 10 && first.chunks().size() < 380, "cut mid-stream");
            buffers.drain(first.chunks());
            assertTrue(buffers.awaitingResume(), "Letta Code resumes a drain that ended without a stop_reason");

            long cursor = first.lastSeqId() == null ? 0 : first.lastSeqId();
            SseClient.Drain resumed = SseClient.stream(server.baseUrl(), null, run, cursor);
            assertTrue(resumed.sawDone());
            buffers.drain(resumed.chunks());

            JsonNode expected = Fixtures.expected("05-long-run-with-pings");
            JsonNode actual = buffers.toJson();
            assertTrue(Fixtures.jsonEquals(expected.get("buffers"), actual.get("buffers")), actual.toPrettyString());
            assertEquals(
                    expected.get("drainResult").get("stopReason"),
                    actual.get("drainResult").get("stopReason"));
        }
    }
}
