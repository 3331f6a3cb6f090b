package dev.lsr.recorder.log;

import dev.lsr.recorder.log.internal.TransactionalRunLog;
import java.time.Clock;

/** Creates the Kafka {@link RunLog}: records and checkpoints committed together in transactions. */
public final class KafkaRunLog {

    private KafkaRunLog() {}

    /** A run log that is not started yet; call {@link RunLog#start()}. */
    public static RunLog create(RunLogConfig config, RunLogListener listener, Clock clock) {
        return new TransactionalRunLog(config, listener, clock);
    }

    /** A run log without metrics, on the system clock. */
    public static RunLog create(RunLogConfig config) {
        return create(config, RunLogListener.NONE, Clock.systemUTC());
    }
}
