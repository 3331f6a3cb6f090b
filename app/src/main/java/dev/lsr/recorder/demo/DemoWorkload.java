package dev.lsr.recorder.demo;

import dev.lsr.sim.FaultPlan;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.RandomFaults;
import dev.lsr.sim.Workload;

/**
 * The demo's Letta server: letta-sim in-process with a generated workload of several agents and
 * concurrent background runs, some of whose connections are cut (abruptly or with a clean early
 * EOF) so the recorder has to resume them.
 */
public final class DemoWorkload implements AutoCloseable {

    /** How many runs the demo workload starts. */
    public static final int RUNS = 30;

    private final LettaSim sim;
    private final long seed;

    private DemoWorkload(LettaSim sim, long seed) {
        this.sim = sim;
        this.seed = seed;
    }

    /**
     * Starts the simulator. The seed picks the runs (and their ids): a new seed per demo, so that a
     * second demo on the same data directory records new runs.
     */
    public static DemoWorkload start(long seed) {
        Workload workload = Workload.builder(seed)
                .agents(3)
                .conversationsPerAgent(2)
                .runs(RUNS)
                .chunksPerRun(400)
                .chunksPerSecond(80)
                .arrivalRate(2.0)
                .build();
        RandomFaults faults =
                RandomFaults.builder(seed).drop(0.15).cleanEof(0.05).build();
        LettaSim sim = LettaSim.builder()
                .port(0)
                .workload(workload)
                .faults(FaultPlan.builder().random(faults).build())
                .start();
        return new DemoWorkload(sim, seed);
    }

    public String baseUrl() {
        return sim.baseUrl();
    }

    public long seed() {
        return seed;
    }

    @Override
    public void close() {
        sim.close();
    }
}
