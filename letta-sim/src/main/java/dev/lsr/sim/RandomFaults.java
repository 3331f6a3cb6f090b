package dev.lsr.sim;

import java.time.Duration;

/**
 * Faults drawn at random, reproducibly: each connection attempt and each generated run draws from
 * its own generator seeded by {@code seed}, the run id and the attempt number, so the same seed
 * gives the same faults whatever the thread timing. Probabilities are per connection attempt
 * (drop, clean EOF, stall, per-connection error frame, reject — at most one applies, checked in that order) or per generated run
 * (bad stored frames). Positions are uniform in {@code [1, maxFramesBeforeFault]}.
 *
 * @param seed the seed
 * @param dropProbability abort a connection abruptly
 * @param cleanEofProbability end a connection cleanly without the rest of the run
 * @param stallProbability stall a connection without pings
 * @param stallDuration how long a stall lasts
 * @param errorFrameProbability end a connection with a per-connection {@code event: error} frame (the
 *                              run goes on), its {@link ConnectionFault.ErrorShape} drawn uniformly
 * @param rejectProbability answer a resume with {@code rejectStatus}
 * @param rejectStatus 429 or a 5xx
 * @param malformedProbability store a malformed frame in a generated run
 * @param oversizedProbability store an oversized frame in a generated run
 * @param oversizedBytes size of an oversized frame
 * @param invalidUtf8Probability store a frame with invalid UTF-8 in a generated run
 * @param maxFramesBeforeFault upper bound of the frame position of a fault
 */
public record RandomFaults(
        long seed,
        double dropProbability,
        double cleanEofProbability,
        double stallProbability,
        Duration stallDuration,
        double errorFrameProbability,
        double rejectProbability,
        int rejectStatus,
        double malformedProbability,
        double oversizedProbability,
        int oversizedBytes,
        double invalidUtf8Probability,
        int maxFramesBeforeFault) {

    public RandomFaults {
        if (maxFramesBeforeFault < 1) {
            throw new IllegalArgumentException("maxFramesBeforeFault must be >= 1");
        }
    }

    public static final Duration DEFAULT_STALL_DURATION = Duration.ofSeconds(30);
    public static final int DEFAULT_REJECT_STATUS = 503;
    public static final int DEFAULT_OVERSIZED_BYTES = 2 * 1024 * 1024;
    public static final int DEFAULT_MAX_FRAMES = 50;

    /** Starts from no faults with this seed: stall 30 s, reject 503, oversized 2 MB, positions up to 50. */
    public static Builder builder(long seed) {
        return new Builder(seed);
    }

    /** Builds {@link RandomFaults}. */
    public static final class Builder {
        private final long seed;
        private double drop;
        private double cleanEof;
        private double stall;
        private Duration stallDuration = DEFAULT_STALL_DURATION;
        private double errorFrame;
        private double reject;
        private int rejectStatus = DEFAULT_REJECT_STATUS;
        private double malformed;
        private double oversized;
        private int oversizedBytes = DEFAULT_OVERSIZED_BYTES;
        private double invalidUtf8;
        private int maxFrames = DEFAULT_MAX_FRAMES;

        private Builder(long seed) {
            this.seed = seed;
        }

        public Builder drop(double probability) {
            this.drop = probability;
            return this;
        }

        public Builder cleanEof(double probability) {
            this.cleanEof = probability;
            return this;
        }

        public Builder stall(double probability, Duration duration) {
            this.stall = probability;
            this.stallDuration = duration;
            return this;
        }

        public Builder errorFrame(double probability) {
            this.errorFrame = probability;
            return this;
        }

        public Builder reject(double probability, int status) {
            this.reject = probability;
            this.rejectStatus = status;
            return this;
        }

        public Builder malformed(double probability) {
            this.malformed = probability;
            return this;
        }

        public Builder oversized(double probability, int sizeBytes) {
            this.oversized = probability;
            this.oversizedBytes = sizeBytes;
            return this;
        }

        public Builder invalidUtf8(double probability) {
            this.invalidUtf8 = probability;
            return this;
        }

        public Builder maxFramesBeforeFault(int frames) {
            this.maxFrames = frames;
            return this;
        }

        public RandomFaults build() {
            return new RandomFaults(
                    seed,
                    drop,
                    cleanEof,
                    stall,
                    stallDuration,
                    errorFrame,
                    reject,
                    rejectStatus,
                    malformed,
                    oversized,
                    oversizedBytes,
                    invalidUtf8,
                    maxFrames);
        }
    }
}
