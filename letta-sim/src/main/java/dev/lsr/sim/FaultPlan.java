package dev.lsr.sim;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which faults the simulator injects: scripted per run id, scripted for every run, and/or drawn at
 * random. A run's own script wins over the every-run script; random faults apply where neither
 * scripts a fault for that connection (or, for stored frames, where neither scripts any).
 */
public final class FaultPlan {

    private static final FaultPlan NONE = builder().build();

    private final Map<String, RunFaults> byRun;
    private final RunFaults allRuns;
    private final RandomFaults random;
    private final int refusedSends;
    private final Duration refusalRetryAfter;

    private FaultPlan(Builder builder) {
        this.byRun = Map.copyOf(builder.byRun);
        this.allRuns = builder.allRuns;
        this.random = builder.random;
        this.refusedSends = builder.refusedSends;
        this.refusalRetryAfter = builder.refusalRetryAfter;
    }

    /** No faults. */
    public static FaultPlan none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The script for a run: its own, else the every-run script, if any. */
    public Optional<RunFaults> scripted(String runId) {
        return Optional.ofNullable(byRun.getOrDefault(runId, allRuns));
    }

    /** The run's own script only (not the every-run one), if any. */
    public Optional<RunFaults> ownScript(String runId) {
        return Optional.ofNullable(byRun.get(runId));
    }

    /** The random faults, if any. */
    public Optional<RandomFaults> random() {
        return Optional.ofNullable(random);
    }

    /** How many sends (the first ones) are refused as Letta Cloud refuses them while it shuts an instance down. */
    public int refusedSends() {
        return refusedSends;
    }

    /** The {@code Retry-After} of those refusals. */
    public Duration refusalRetryAfter() {
        return refusalRetryAfter;
    }

    /** Builds a {@link FaultPlan}. */
    public static final class Builder {
        private final Map<String, RunFaults> byRun = new HashMap<>();
        private RunFaults allRuns;
        private RandomFaults random;
        private int refusedSends;
        private Duration refusalRetryAfter = Duration.ZERO;

        private Builder() {}

        /**
         * Refuse the first {@code times} sends before any run exists, as Letta Cloud does while it shuts
         * an instance down: 503, {@code {"error": ..., "errorCode": "cloud_api_shutting_down",
         * "admitted": false, "retryable": true}} and {@code Retry-After} (whole seconds).
         */
        public Builder refuseSends(int times, Duration retryAfter) {
            if (times < 0 || retryAfter.isNegative()) {
                throw new IllegalArgumentException("refusals and Retry-After must not be negative");
            }
            this.refusedSends = times;
            this.refusalRetryAfter = retryAfter;
            return this;
        }

        /** Faults for one run id (recorded, or a generated id known from the seed). */
        public Builder run(String runId, RunFaults faults) {
            byRun.put(runId, faults);
            return this;
        }

        /** Faults for every run without its own script. */
        public Builder allRuns(RunFaults faults) {
            this.allRuns = faults;
            return this;
        }

        /** Random faults. */
        public Builder random(RandomFaults faults) {
            this.random = faults;
            return this;
        }

        public FaultPlan build() {
            return new FaultPlan(this);
        }
    }
}
