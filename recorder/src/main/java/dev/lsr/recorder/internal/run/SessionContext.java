package dev.lsr.recorder.internal.run;

import dev.lsr.recorder.RecorderListener;
import dev.lsr.recorder.internal.drain.RecordFactory;
import dev.lsr.recorder.internal.drain.RunAppender;
import dev.lsr.recorder.internal.drain.StallWatchdog;
import dev.lsr.recorder.internal.letta.LettaApi;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * What every run session shares: the Letta API, the log, the record factory (source and clock), the
 * watchdog, the policy and timings, the recorder's stop flag, and the gate that bounds how many restored
 * runs attach at once.
 */
public record SessionContext(
        LettaApi api,
        RunAppender appender,
        RecordFactory records,
        StallWatchdog watchdog,
        SupervisorPolicy policy,
        SessionSettings settings,
        Sleeper sleeper,
        RandomGenerator random,
        RecorderListener listener,
        BooleanSupplier stopping,
        AttachGate restoreAttaches) {

    public Instant now() {
        return records.clock().instant();
    }

    public boolean isStopping() {
        return stopping.getAsBoolean();
    }

    /** This context with the records going to {@code other}. */
    public SessionContext appendingThrough(RunAppender other) {
        return new SessionContext(
                api, other, records, watchdog, policy, settings, sleeper, random, listener, stopping, restoreAttaches);
    }
}
