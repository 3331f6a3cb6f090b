package dev.lsr.bench.jmh;

import dev.lsr.chunklog.ChunkPeek;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the recorder (and the consumer's reader) does to every chunk to route and position it:
 * {@link ChunkPeek#of} ({@code message_type}, {@code run_id}, {@code seq_id}, the chunk validated as
 * one JSON object) over every chunk of fixture 05 (one op = all 386 chunks).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChunkPeekBench {

    private List<byte[]> chunks;

    @Setup
    public void load() {
        chunks = FixtureInputs.chunkPayloads();
    }

    @Benchmark
    public void peekAll(Blackhole blackhole) {
        for (byte[] chunk : chunks) {
            blackhole.consume(ChunkPeek.of(chunk));
        }
    }
}
