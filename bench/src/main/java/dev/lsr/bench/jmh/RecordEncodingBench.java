package dev.lsr.bench.jmh;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RunState;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Turning one received chunk into bytes on the wire, one op = one chunk of fixture 05 (cycling):
 * the chunk-log envelope, its CloudEvents headers and the {@link ProducerRecord}, then the batch
 * append the producer does with it (Kafka's record format, no compression). {@link #plainRecordAppend}
 * is the baseline: the same key and value without headers, as a plain producer would send them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecordEncodingBench {

    private static final String SOURCE = "http://127.0.0.1:8283";
    private static final String RUN_ID = "run-00000000-0000-4000-8000-000000000005";
    private static final byte[] KEY = RUN_ID.getBytes(UTF_8);
    private static final int BATCH_BYTES = 1 << 20;
    private static final Header[] NO_HEADERS = new Header[0];

    private List<byte[]> payloads;
    private int next;
    private MemoryRecordsBuilder batch;
    private final Instant receivedAt = Instant.parse("2026-11-24T10:15:30.123456Z");

    @Setup
    public void load() {
        payloads = FixtureInputs.chunkPayloads();
        batch = newBatch();
    }

    @Benchmark
    public ProducerRecord<byte[], byte[]> envelopeToProducerRecord() {
        return producerRecord(nextIndex());
    }

    @Benchmark
    public MemoryRecordsBuilder envelopeToBatch() {
        ProducerRecord<byte[], byte[]> record = producerRecord(nextIndex());
        return append(record.key(), record.value(), record.headers().toArray());
    }

    @Benchmark
    public MemoryRecordsBuilder plainRecordAppend() {
        return append(KEY, payloads.get(nextIndex()), NO_HEADERS);
    }

    /** The checkpoint the recorder writes per touched run per transaction, as it writes it. */
    @Benchmark
    public byte[] checkpointToJson() {
        return checkpoint(nextIndex()).toJson();
    }

    /** The same checkpoint through Jackson (how {@code toJson} wrote it before; same bytes). */
    @Benchmark
    public byte[] checkpointJackson() throws JsonProcessingException {
        return Json.MAPPER.writeValueAsBytes(checkpoint(nextIndex()));
    }

    private Checkpoint checkpoint(int index) {
        return Checkpoint.of(RUN_ID, Position.ofSeq(index + 1L), RunState.ACTIVE, "agent-1", "conv-1", receivedAt);
    }

    private ProducerRecord<byte[], byte[]> producerRecord(int index) {
        Envelope envelope =
                Envelope.chunk(SOURCE, RUN_ID, Position.ofSeq(index + 1L), null, receivedAt, "agent-1", "conv-1");
        return new ChunkLogRecord(envelope, payloads.get(index)).toProducerRecord("letta.chunks", null);
    }

    private MemoryRecordsBuilder append(byte[] key, byte[] value, Header[] headers) {
        if (!batch.hasRoomFor(0L, key, value, headers)) {
            MemoryRecords built = batch.build();
            if (built.sizeInBytes() == 0) {
                throw new IllegalStateException("empty batch");
            }
            batch = newBatch();
        }
        batch.append(0L, key, value, headers);
        return batch;
    }

    private int nextIndex() {
        int index = next;
        next = index + 1 == payloads.size() ? 0 : index + 1;
        return index;
    }

    private static MemoryRecordsBuilder newBatch() {
        return MemoryRecords.builder(ByteBuffer.allocate(BATCH_BYTES), Compression.NONE, TimestampType.CREATE_TIME, 0L);
    }
}
