package dev.lsr.bench.jmh;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.Position;
import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.reader.internal.Decoded;
import dev.lsr.consumer.reader.internal.RecordDecoder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
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
 * The consumer's per-record decode, one op = one consumed chunk record of fixture 05 (cycling):
 * CloudEvents headers back to an envelope ({@link #envelope}), plus the chunk's parse and checks the
 * reader does before any listener sees it ({@link #decode}), plus the chunk as the Letta Code fold
 * reads it ({@link #decodeForFold}: the per-chunk cost of a rebuild before the fold itself).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecordDecodingBench {

    // the run_id the fixture's chunks carry: with any other, every decode ends in the run_id-mismatch problem
    private static final String RUN_ID = "run-4ca67353-d824-444b-81c1-56cf264ca243";

    private List<ConsumerRecord<byte[], byte[]>> records;
    private int next;

    @Setup
    public void load() {
        List<byte[]> payloads = FixtureInputs.chunkPayloads();
        records = new ArrayList<>();
        Instant receivedAt = Instant.parse("2026-11-24T10:15:30.123456Z");
        for (int i = 0; i < payloads.size(); i++) {
            Envelope envelope = Envelope.chunk(
                    "http://127.0.0.1:8283", RUN_ID, Position.ofSeq(i + 1L), null, receivedAt, "agent-1", "conv-1");
            ProducerRecord<byte[], byte[]> sent =
                    new ChunkLogRecord(envelope, payloads.get(i)).toProducerRecord("letta.chunks", 0);
            records.add(new ConsumerRecord<>(
                    "letta.chunks",
                    0,
                    i,
                    0L,
                    TimestampType.CREATE_TIME,
                    RUN_ID.getBytes(UTF_8).length,
                    sent.value().length,
                    sent.key(),
                    sent.value(),
                    sent.headers(),
                    Optional.empty()));
        }
    }

    /** The envelope alone: the CloudEvents headers back to an {@link Envelope}, key checked. */
    @Benchmark
    public ChunkLogRecord envelope() {
        return ChunkLogRecord.fromConsumerRecord(nextRecord());
    }

    /** What the reader does per record before any listener sees it. */
    @Benchmark
    public Decoded decode() {
        return RecordDecoder.decode(nextRecord());
    }

    /** The reader's decode plus the chunk as the Letta Code fold reads it: all a rebuild does before folding. */
    @Benchmark
    public Chunk decodeForFold() {
        Decoded decoded = RecordDecoder.decode(nextRecord());
        return Chunk.of(((Decoded.Readable) decoded).record());
    }

    private ConsumerRecord<byte[], byte[]> nextRecord() {
        ConsumerRecord<byte[], byte[]> record = records.get(next);
        next = next + 1 == records.size() ? 0 : next + 1;
        return record;
    }
}
