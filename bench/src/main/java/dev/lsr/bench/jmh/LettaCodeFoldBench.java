package dev.lsr.bench.jmh;

import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.lettacode.LettaCodeBuffers;
import dev.lsr.consumer.projection.lettacode.LettaCodeProjection;
import dev.lsr.consumer.projection.lettacode.Options;
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
 * The consumer's Letta Code buffers fold over fixture 05 (one op = the whole run, 386 chunks):
 * with the JSON parse of every payload ({@link #parseAndFold}, what a rebuild does per run) and over
 * chunks parsed once ({@link #foldOnly}, the accumulator alone). {@link #parseOnly} is the parse alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LettaCodeFoldBench {

    private List<byte[]> payloads;
    private List<Chunk> chunks;
    private final Options options = Options.defaults();

    @Setup
    public void load() {
        payloads = FixtureInputs.chunkPayloads();
        chunks = parse(payloads);
    }

    @Benchmark
    public LettaCodeBuffers parseAndFold() {
        return LettaCodeProjection.ofRun(parse(payloads), options);
    }

    @Benchmark
    public LettaCodeBuffers foldOnly() {
        return LettaCodeProjection.ofRun(chunks, options);
    }

    @Benchmark
    public List<Chunk> parseOnly() {
        return parse(payloads);
    }

    private static List<Chunk> parse(List<byte[]> payloads) {
        return payloads.stream().map(payload -> Chunk.parse(payload, null)).toList();
    }
}
