package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The key rule every reader applies: a record is keyed by its run id, which keeps a run in one partition. */
class ChunkLogRecordTest {

    private static final String RUN = "run-4ca67353-d824-444b-81c1-56cf264ca243";

    private static ProducerRecord<byte[], byte[]> written() {
        Envelope envelope = Envelope.chunk(
                "http://127.0.0.1:8283", RUN, Position.ofSeq(3), null, Instant.EPOCH, "agent-1", "conv-1");
        return new ChunkLogRecord(envelope, "{\"message_type\":\"assistant_message\"}".getBytes(UTF_8))
                .toProducerRecord("letta.chunks", null);
    }

    private static ConsumerRecord<byte[], byte[]> read(byte[] key) {
        ProducerRecord<byte[], byte[]> written = written();
        return new ConsumerRecord<>(
                "letta.chunks",
                0,
                0L,
                0L,
                TimestampType.CREATE_TIME,
                0,
                0,
                key,
                written.value(),
                written.headers(),
                Optional.empty());
    }

    @Test
    void aRecordKeyedByItsRunIsRead() {
        assertEquals(
                RUN,
                ChunkLogRecord.fromConsumerRecord(read(RUN.getBytes(UTF_8))).runId());
    }

    @Test
    void aRecordWithoutAKeyIsUnreadable() {
        UnreadableRecordException e =
                assertThrows(UnreadableRecordException.class, () -> ChunkLogRecord.fromConsumerRecord(read(null)));
        assertTrue(e.getMessage().contains("no key"), e.getMessage());
    }

    @Test
    void aRecordKeyedByAnotherRunIsUnreadable() {
        assertThrows(
                UnreadableRecordException.class,
                () -> ChunkLogRecord.fromConsumerRecord(read("run-other".getBytes(UTF_8))));
    }
}
