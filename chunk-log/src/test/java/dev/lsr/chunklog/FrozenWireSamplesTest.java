package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Readers must keep reading every frozen sample of every format version. */
class FrozenWireSamplesTest {

    @Test
    void readsTheV1ErrorChunkSample() throws Exception {
        ChunkLogRecord record = ChunkLogRecord.fromConsumerRecord(sample("format-v1/chunk-error-event.json"));
        Envelope envelope = record.envelope();
        assertEquals(1, envelope.formatVersion());
        assertEquals(RecordType.CHUNK, envelope.type());
        assertEquals("run-e4039782-67e5-43c9-ae73-35a01662e2ce", envelope.runId());
        assertEquals(Position.ofSeq(29), envelope.position());
        assertEquals("error", envelope.sseEvent());
        assertEquals(Instant.parse("2026-03-14T17:24:20.011937Z"), envelope.receivedAt());
        assertEquals("agent-5b8f0d3e-5d6e-4a7c-9a8f-1c2d3e4f5a6b", envelope.agentId());
        assertEquals("error_message", ChunkPeek.of(record.value()).messageType());
    }

    @Test
    void readsTheV1ResumedSample() throws Exception {
        ChunkLogRecord record = ChunkLogRecord.fromConsumerRecord(sample("format-v1/run-resumed.json"));
        assertEquals(RecordType.RUN_RESUMED, record.type());
        assertEquals(
                new LifecycleEvent.RunResumed(1, 150, "io_error"),
                LifecycleEvent.fromJson(record.type(), record.value()));
    }

    @Test
    void readsTheV1GapSample() throws Exception {
        ChunkLogRecord record = ChunkLogRecord.fromConsumerRecord(sample("format-v1/run-gap.json"));
        assertEquals(RecordType.RUN_GAP, record.type());
        assertEquals(Position.ofSeq(150), record.position());
        LifecycleEvent.RunGap gap = (LifecycleEvent.RunGap) LifecycleEvent.fromJson(record.type(), record.value());
        assertEquals(new LifecycleEvent.RunGap(151, 5150L, "trimmed"), gap);
        assertEquals(5000, gap.missing());
    }

    @Test
    void readsTheV1ConnectionErrorSample() throws Exception {
        ChunkLogRecord record = ChunkLogRecord.fromConsumerRecord(sample("format-v1/connection-error.json"));
        assertEquals(RecordType.CONNECTION_ERROR, record.type());
        assertEquals(Position.ofSeq(150), record.position());
        LifecycleEvent.ConnectionError error =
                (LifecycleEvent.ConnectionError) LifecycleEvent.fromJson(record.type(), record.value());
        assertEquals("error", error.sseEvent());
        assertEquals(
                "cloud_api_deployment_interrupted",
                error.frame().get("error_code").asText());
    }

    @Test
    void writingTheSampleEnvelopeGivesTheSampleHeaders() throws Exception {
        ConsumerRecord<byte[], byte[]> sample = sample("format-v1/chunk-error-event.json");
        ChunkLogRecord record = ChunkLogRecord.fromConsumerRecord(sample);
        var produced = record.toProducerRecord("letta.chunks", null);
        assertArrayEquals(sample.key(), produced.key());
        assertEquals(headerMap(sample.headers()), headerMap(produced.headers()));
    }

    private static Map<String, String> headerMap(Iterable<org.apache.kafka.common.header.Header> headers) {
        Map<String, String> map = new java.util.TreeMap<>();
        headers.forEach(h -> map.put(h.key(), new String(h.value(), UTF_8)));
        return map;
    }

    private static ConsumerRecord<byte[], byte[]> sample(String resource) throws Exception {
        JsonNode json;
        try (InputStream in = FrozenWireSamplesTest.class.getClassLoader().getResourceAsStream(resource)) {
            json = Json.MAPPER.readTree(in);
        }
        RecordHeaders headers = new RecordHeaders();
        for (Map.Entry<String, JsonNode> header : json.get("headers").properties()) {
            headers.add(header.getKey(), header.getValue().asText().getBytes(UTF_8));
        }
        return new ConsumerRecord<>(
                "letta.chunks",
                0,
                0L,
                0L,
                TimestampType.CREATE_TIME,
                0,
                0,
                json.get("key").asText().getBytes(UTF_8),
                json.get("value").asText().getBytes(UTF_8),
                headers,
                java.util.Optional.empty());
    }
}
