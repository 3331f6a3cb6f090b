package dev.lsr.sim;

import java.time.Duration;

/**
 * A seeded generator of runs: the same seed gives the same runs, ids included. Workload runs are
 * background runs that appear by themselves (created, then running) at {@code arrivalRate} per
 * second, spread over {@code agents} × {@code conversationsPerAgent} conversations (one active run
 * per conversation at a time, as Letta's lock allows), until {@code runs} have been started; a
 * watcher finds them through {@code GET /v1/runs}. Sends to the simulator draw their content from
 * the same generator (a separate seeded stream).
 *
 * @param seed the seed
 * @param agents number of agents
 * @param conversationsPerAgent conversations per agent
 * @param runs workload runs to start in total (0 = none; sends still use the generator)
 * @param chunksPerRun about how many content chunks (deltas) a run streams
 * @param chunksPerSecond stored frames per second per run (0 = use the simulator's pace)
 * @param arrivalRate new runs per second (0 = start them all at once)
 * @param streamTokens token-streamed deltas (Letta Code's setting) or step mode
 */
public record Workload(
        long seed,
        int agents,
        int conversationsPerAgent,
        int runs,
        int chunksPerRun,
        double chunksPerSecond,
        double arrivalRate,
        boolean streamTokens) {

    public Workload {
        if (agents < 1 || conversationsPerAgent < 1) {
            throw new IllegalArgumentException("need at least one agent and one conversation per agent");
        }
        if (runs < 0 || chunksPerRun < 1 || chunksPerSecond < 0 || arrivalRate < 0) {
            throw new IllegalArgumentException("runs >= 0, chunksPerRun >= 1, rates >= 0");
        }
    }

    public static final int DEFAULT_AGENTS = 2;
    public static final int DEFAULT_CONVERSATIONS_PER_AGENT = 2;
    public static final int DEFAULT_CHUNKS_PER_RUN = 60;

    /** Defaults: 2 agents × 2 conversations, no workload runs, ~60 chunks per run, token streaming. */
    public static Builder builder(long seed) {
        return new Builder(seed);
    }

    /** The interval between stored frames of a workload run, or null to use the simulator's pace. */
    public Duration frameInterval() {
        return chunksPerSecond == 0 ? null : Duration.ofNanos((long) (1_000_000_000L / chunksPerSecond));
    }

    /** Builds a {@link Workload}. */
    public static final class Builder {
        private final long seed;
        private int agents = DEFAULT_AGENTS;
        private int conversationsPerAgent = DEFAULT_CONVERSATIONS_PER_AGENT;
        private int runs;
        private int chunksPerRun = DEFAULT_CHUNKS_PER_RUN;
        private double chunksPerSecond;
        private double arrivalRate;
        private boolean streamTokens = true;

        private Builder(long seed) {
            this.seed = seed;
        }

        public Builder agents(int agents) {
            this.agents = agents;
            return this;
        }

        public Builder conversationsPerAgent(int conversations) {
            this.conversationsPerAgent = conversations;
            return this;
        }

        public Builder runs(int runs) {
            this.runs = runs;
            return this;
        }

        public Builder chunksPerRun(int chunks) {
            this.chunksPerRun = chunks;
            return this;
        }

        public Builder chunksPerSecond(double rate) {
            this.chunksPerSecond = rate;
            return this;
        }

        public Builder arrivalRate(double runsPerSecond) {
            this.arrivalRate = runsPerSecond;
            return this;
        }

        public Builder streamTokens(boolean streamTokens) {
            this.streamTokens = streamTokens;
            return this;
        }

        public Workload build() {
            return new Workload(
                    seed,
                    agents,
                    conversationsPerAgent,
                    runs,
                    chunksPerRun,
                    chunksPerSecond,
                    arrivalRate,
                    streamTokens);
        }
    }
}
