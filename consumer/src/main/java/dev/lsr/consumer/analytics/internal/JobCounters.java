package dev.lsr.consumer.analytics.internal;

import java.util.concurrent.atomic.AtomicLong;

/** The live counts of a job, written by its loop and read by anyone. */
public final class JobCounters {

    public final AtomicLong records = new AtomicLong();
    public final AtomicLong summariesWritten = new AtomicLong();
    public final AtomicLong transactions = new AtomicLong();
    public final AtomicLong aborts = new AtomicLong();
    public final AtomicLong problems = new AtomicLong();
    public volatile boolean caughtUp;
}
