package dev.lsr.bench.jmh;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.Position;
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
 * CloudEvents headers back to an envelope, and the streaming peek at {@code message_type/run_id/seq_id}
 * the reader does before any projection sees the chunk.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecordDecodingBench {

    private static final String RUN_ID = "run-00000000-0000-4000-8000-000000000005";

    private List<ConsumerRecord<byte[], byte[]>> records;
    private int next;

    @Setup
    public void load() {
        List<byte[]> payloads = FixtureInputs.chunkPayloads();
        records = new ArrayList<>();
        Instant receivedAt = Instant.parse("2026-11-24T10:15:30.123456Z");
        for (int i = 0; i < payloads.size(); i++) {
            Envelope envelope = Envelope.chunk("http://127.0.0.1:8283", RUN_ID, Position.ofSeq(i + 1L), null,
                    receivedAt, "agent-1", "conv-1");
            ProducerRecord<byte[], byte[]> sent = new ChunkLogRecord(envelope, payloads.get(i))
                    .toProducerRecord("letta.chunks", 0);
            records.add(new ConsumerRecord<>("letta.chunks", 0, i, 0L, TimestampType.CREATE_TIME,
                    RUN_ID.getBytes(UTF_8).length, sent.value().length, sent.key(), sent.value(), sent.headers(),
                    Optional.empty()));
        }
    }

    @Benchmark
    public Decoded decode() {
        ConsumerRecord<byte[], byte[]> record = records.get(next);
        next = next + 1 == records.size() ? 0 : next + 1;
        return RecordDecoder.decode(record);
    }
}
