package dev.lsr.consumer.analytics.internal;

import dev.lsr.consumer.reader.internal.RunSequencer;

/** A run's fold state and the sequencer that guards it against duplicates. */
final class TrackedRun<S> {

    final String runId;
    final RunSequencer sequencer;
    S state;

    TrackedRun(String runId, RunSequencer sequencer, S state) {
        this.runId = runId;
        this.sequencer = sequencer;
        this.state = state;
    }
}
