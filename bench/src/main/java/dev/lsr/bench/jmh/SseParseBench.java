package dev.lsr.bench.jmh;

import dev.lsr.recorder.internal.sse.SseFrame;
import dev.lsr.recorder.internal.sse.SseFrameReader;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
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
 * The recorder's SSE frame reader over fixture 05's whole response body (one op = the whole body:
 * 387 frames, 146 KB). The body is copied into an okio buffer per op, as the socket source would fill
 * it; {@link #copyOnly} measures that copy alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SseParseBench {

    private byte[] body;

    @Setup
    public void load() {
        body = FixtureInputs.sseBody();
    }

    @Benchmark
    public int readAllFrames(Blackhole blackhole) throws IOException {
        SseFrameReader reader = new SseFrameReader(new Buffer().write(body));
        int frames = 0;
        SseFrame frame;
        while ((frame = reader.next()) != null) {
            blackhole.consume(frame);
            frames++;
        }
        return frames;
    }

    @Benchmark
    public long copyOnly() {
        Buffer buffer = new Buffer().write(body);
        long size = buffer.size();
        buffer.clear();
        return size;
    }
}
