package dev.lsr.bench.system.internal;

import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.chunklog.PositionAssigner;
import dev.lsr.recorder.internal.sse.SseFrame;
import dev.lsr.recorder.internal.sse.SseFrameReader;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.StoredFrame;
import dev.lsr.sim.Workload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;

/**
 * letta-sim as the load generator: K concurrent generated runs (one conversation each), streamed as
 * fast as the sim can or at a given rate per run, and what the recorder should make of them.
 */
final class SimLoad implements AutoCloseable {

    /** One chunk a recorder should append: its run and its exact payload. */
    record ExpectedChunk(String runId, byte[] payload) {}

    private final LettaSim sim;
    private final List<String> runIds;

    private SimLoad(LettaSim sim, List<String> runIds) {
        this.sim = sim;
        this.runIds = runIds;
    }

    /**
     * Starts a sim with {@code runs} workload runs of about {@code chunksPerRun} chunks, all started at
     * once, storing {@code chunksPerSecond} frames per second per run (0: all frames at once), and waits
     * until every run exists.
     */
    static SimLoad start(long seed, int runs, int chunksPerRun, double chunksPerSecond) {
        int agents = Math.max(1, (int) Math.ceil(Math.sqrt(runs)));
        int conversations = (runs + agents - 1) / agents;
        Workload workload = Workload.builder(seed)
                .agents(agents)
                .conversationsPerAgent(conversations)
                .runs(runs)
                .chunksPerRun(chunksPerRun)
                .chunksPerSecond(chunksPerSecond)
                .arrivalRate(0)
                .build();
        LettaSim sim = LettaSim.builder()
                .port(0)
                .workload(workload)
                .keepaliveInterval(Duration.ofSeconds(20))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (sim.runIds().size() < runs) {
            if (System.nanoTime() > deadline) {
                sim.close();
                throw new IllegalStateException(
                        "letta-sim started only " + sim.runIds().size() + " of " + runs + " runs");
            }
            sleep(20);
        }
        return new SimLoad(sim, List.copyOf(sim.runIds()));
    }

    String baseUrl() {
        return sim.baseUrl();
    }

    List<String> runIds() {
        return runIds;
    }

    /** The runs that have not stored their final frame yet. */
    List<String> activeRunIds() {
        return runIds.stream()
                .filter(runId -> {
                    List<StoredFrame> frames = sim.storedFrames(runId);
                    return frames.isEmpty() || !frames.getLast().isFinal();
                })
                .toList();
    }

    /** Frames stored so far over all runs. */
    long storedFrameCount() {
        long count = 0;
        for (String runId : runIds) {
            count += sim.storedFrames(runId).size();
        }
        return count;
    }

    /** Waits until every run has stored its final frame. */
    void awaitFullyStored(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String runId : runIds) {
            while (true) {
                List<StoredFrame> frames = sim.storedFrames(runId);
                if (!frames.isEmpty() && frames.getLast().isFinal()) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("run " + runId + " was not fully stored in " + timeout);
                }
                sleep(10);
            }
        }
    }

    /** The chunks the recorder appends for the stored frames of every run (keepalive pings and [DONE] excepted). */
    List<ExpectedChunk> expectedChunks() {
        List<ExpectedChunk> chunks = new ArrayList<>();
        for (String runId : runIds) {
            Buffer body = new Buffer();
            sim.storedFrames(runId).forEach(frame -> body.write(frame.servedBytes()));
            SseFrameReader reader = new SseFrameReader(body);
            PositionAssigner tracker = PositionAssigner.resumingAfter(0);
            try {
                SseFrame frame;
                while ((frame = reader.next()) != null && !frame.isDone()) {
                    ChunkPeek peek = ChunkPeek.of(frame.data());
                    if (tracker.assign(peek.seqId(), peek.isPing()) != null) {
                        chunks.add(new ExpectedChunk(runId, frame.data()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return chunks;
    }

    @Override
    public void close() {
        sim.close();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
