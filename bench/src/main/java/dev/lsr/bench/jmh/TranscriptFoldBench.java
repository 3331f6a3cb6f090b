package dev.lsr.bench.jmh;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.PositionAssigner;
import dev.lsr.consumer.projection.summary.RunSummaries;
import dev.lsr.consumer.projection.summary.RunSummary;
import dev.lsr.consumer.projection.transcript.Transcript;
import dev.lsr.consumer.projection.transcript.Transcripts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * The consumer's transcript fold and run-summary fold over fixture 05 as chunk-log records (one op =
 * the whole run, parse included), positioned as the recorder positions them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TranscriptFoldBench {

    private List<ChunkLogRecord> records;

    @Setup
    public void load() {
        String runId = "run-4ca67353-d824-444b-81c1-56cf264ca243";
        PositionAssigner tracker = PositionAssigner.resumingAfter(0);
        Instant time = Instant.parse("2026-11-24T10:15:30.123456Z");
        records = new ArrayList<>();
        for (byte[] payload : FixtureInputs.chunkPayloads()) {
            ChunkPeek peek = ChunkPeek.of(payload);
            Position position = tracker.assign(peek.seqId(), peek.isPing());
            if (position != null) {
                time = time.plusMillis(5);
                records.add(new ChunkLogRecord(
                        Envelope.chunk("http://127.0.0.1:8283", runId, position, null, time, "agent-1", "conv-1"),
                        payload));
            }
        }
    }

    @Benchmark
    public Transcript transcript() {
        return Transcripts.ofRecords(records);
    }

    @Benchmark
    public RunSummary runSummary() {
        return RunSummaries.ofRecords(records);
    }
}
