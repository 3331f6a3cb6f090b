package dev.lsr.bench.system;

/** The whole-system scenarios, in the order {@code --scenario all} runs them. */
public enum Scenario {
    /** Recorder ingest: chunks/s committed vs a plain idempotent producer sending the same bytes. */
    INGEST,
    /** Receipt by the recorder to visible to a read_committed consumer at 2,000 chunks/s, per commit window. */
    LATENCY,
    /** Consumer rebuild of Letta Code buffers for every run vs a raw read_committed consumer. */
    REBUILD,
    /** A SIGKILLed recorder (child JVM) restarted with 1,000 active runs, over a small and a large log. */
    RECOVERY,
    /** 2,000 slow concurrent streams on one recorder: heap, CPU, p99 latency. */
    CONCURRENCY;

    /** The lower-case name used on the command line. */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
