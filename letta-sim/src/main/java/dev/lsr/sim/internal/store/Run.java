package dev.lsr.sim.internal.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One run known to the simulator: identity, its stream, and the lifecycle state a
 * {@code GET /v1/runs/{id}} shows. The state changes only through {@link #onStored}, so it is
 * always derived from what was stored (protocol §2.12, §3.5).
 */
public final class Run {

    private final RunInfo info;
    private final RunStream stream;
    private final Clock clock;
    private final AtomicBoolean cancelRequested = new AtomicBoolean();
    private final AtomicInteger connections = new AtomicInteger();
    private final PriorityBlockingQueue<Integer> lostAttempts = new PriorityBlockingQueue<>();
    private final AtomicInteger resumes = new AtomicInteger();
    private volatile Consumer<Run> onTerminal = run -> {};

    private RunStatus status = RunStatus.CREATED;
    private String stopReason;
    private String errorJson;
    private Instant completedAt;
    private Instant firstChunkAt;

    public Run(RunInfo info, Clock clock) {
        this(info, clock, 1, 0);
    }

    /** A run whose first stored frame takes {@code firstSeq}, its stream trimmed to {@code maxStreamEntries} (0: never). */
    public Run(RunInfo info, Clock clock, long firstSeq, int maxStreamEntries) {
        this.info = info;
        this.clock = clock;
        this.stream = new RunStream(info.id(), firstSeq, maxStreamEntries);
    }

    public String id() {
        return info.id();
    }

    public RunInfo info() {
        return info;
    }

    public RunStream stream() {
        return stream;
    }

    /** Registers the one callback told when the run reaches a terminal status. */
    public void onTerminal(Consumer<Run> callback) {
        this.onTerminal = callback;
    }

    /** created -> running (idempotent). */
    public synchronized void markRunning() {
        if (status == RunStatus.CREATED) {
            status = RunStatus.RUNNING;
        }
    }

    /**
     * Stores a frame and updates the lifecycle from it, atomically for {@link #state()}: whoever sees
     * the final frame also sees the terminal status.
     */
    public void store(FrameSpec spec) {
        boolean terminal;
        synchronized (this) {
            stream.store(spec);
            Instant now = clock.instant();
            if (firstChunkAt == null && spec.kind() != FrameKind.PING) {
                firstChunkAt = now;
            }
            if (spec.kind() == FrameKind.STOP_REASON) {
                stopReason = spec.stopReason();
            }
            if (spec.kind() == FrameKind.ERROR && errorJson == null) {
                errorJson = spec.errorJson();
            }
            terminal = spec.isFinal() && status.isActive();
            if (terminal) {
                status = terminalStatus();
                completedAt = now;
            }
        }
        if (terminal) {
            onTerminal.accept(this);
        }
    }

    private RunStatus terminalStatus() {
        if (stopReason != null) {
            return RunStatus.forStopReason(stopReason);
        }
        return errorJson != null ? RunStatus.FAILED : RunStatus.COMPLETED;
    }

    /** Asks the run's producer to cancel; false if the run is no longer active. */
    public boolean requestCancel() {
        synchronized (this) {
            if (!status.isActive()) {
                return false;
            }
        }
        cancelRequested.set(true);
        return true;
    }

    public boolean isCancelRequested() {
        return cancelRequested.get();
    }

    /**
     * Counts a new read connection to this run; returns its 1-based attempt number: the lowest one
     * given back by {@link #connectionLost}, else the next new one.
     */
    public int nextConnection() {
        Integer again = lostAttempts.poll();
        return again != null ? again : connections.incrementAndGet();
    }

    /**
     * The connection with this attempt number lost its client before its fault happened (a client
     * that gave up waiting for the headers on a slow machine): the next connection takes the number
     * and the fault. So a scripted fault lands on a connection that a client reads, whatever the
     * timing.
     */
    public void connectionLost(int attempt) {
        lostAttempts.add(attempt);
    }

    /** Counts a new resume request (runs or conversations stream route); returns its 1-based number. */
    public int nextResume() {
        return resumes.incrementAndGet();
    }

    /** A consistent view of the lifecycle state. */
    public synchronized RunState state() {
        Long ttft = firstChunkAt == null
                ? null
                : Duration.between(info.createdAt(), firstChunkAt).toNanos();
        Long total = completedAt == null
                ? null
                : Duration.between(info.createdAt(), completedAt).toNanos();
        return new RunState(status, stopReason, errorJson, completedAt, ttft, total);
    }

    /** Lifecycle snapshot. */
    public record RunState(
            RunStatus status,
            String stopReason,
            String errorJson,
            Instant completedAt,
            Long ttftNs,
            Long totalDurationNs) {}
}
