package dev.lsr.bench.system.internal;

import dev.lsr.bench.system.ScenarioReport;

/** Placeholder. */
public final class RecoveryScenario {
    public RecoveryScenario(BenchContext context) {
    }

    public ScenarioReport run() {
        throw new UnsupportedOperationException("not yet");
    }
}
