package dev.lsr.bench.jmh;

import dev.lsr.recorder.internal.letta.OkHttpLettaApi;
import dev.lsr.recorder.internal.letta.Run;
import dev.lsr.recorder.internal.letta.ShardedCalls;
import dev.lsr.recorder.internal.letta.SseStream;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.Workload;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A Run GET (the recorder's {@code OkHttpLettaApi.getRun}, against letta-sim on loopback) while the same
 * client holds {@code openStreams} run streams open, as a recorder with that many active runs does: with
 * one connection pool (one OkHttp client) or with {@link ShardedCalls}' pools. OkHttp scans every pooled
 * connection to find one for a call, so the first grows with the open streams; the loopback round trip
 * and letta-sim's answer are in both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(4)
public class RunGetBench {

    @Param({"one", "sharded"})
    public String pools;

    @Param({"0", "1000"})
    public int openStreams;

    private LettaSim sim;
    private OkHttpLettaApi api;
    private List<String> runIds;
    private final List<SseStream> streams = new ArrayList<>();

    @Setup(Level.Trial)
    public void start() throws IOException, InterruptedException {
        int runs = Math.max(openStreams, 100);
        sim = LettaSim.builder()
                .workload(Workload.builder(7)
                        .agents(10)
                        .conversationsPerAgent((runs + 9) / 10) // a conversation runs one run at a time
                        .runs(runs)
                        .chunksPerRun(2_000) // at 0.2 a second: hours
                        .chunksPerSecond(0.2)
                        .arrivalRate(0) // all at once
                        .build())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sim.runIds().size() < runs) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "letta-sim started " + sim.runIds().size() + " of " + runs + " runs");
            }
            Thread.sleep(50);
        }
        runIds = List.copyOf(sim.runIds());
        OkHttpClient client = new OkHttpClient.Builder()
                .readTimeout(Duration.ofMinutes(10))
                .retryOnConnectionFailure(false)
                .build();
        Call.Factory calls = pools.equals("sharded") ? ShardedCalls.of(client, ShardedCalls.DEFAULT_SHARDS) : client;
        api = new OkHttpLettaApi(calls, HttpUrl.get(sim.baseUrl()), null, Duration.ofSeconds(30), 1 << 20);
        for (int i = 0; i < openStreams; i++) {
            streams.add(api.streamRun(runIds.get(i), 0));
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        streams.forEach(SseStream::close);
        sim.close();
    }

    @Benchmark
    public Run getRun() throws IOException {
        return api.getRun(runIds.get(ThreadLocalRandom.current().nextInt(runIds.size())));
    }
}
