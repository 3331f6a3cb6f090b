package dev.lsr.kernel;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;

/**
 * A thread-safe state machine over {@link LifecycleState} (Debezium's engine is the model): the state
 * changes only by compare-and-set along {@link LifecycleState#successors()}, with one INFO line per change
 * ({@code <name>: FROM -> TO}) on the owner's logger, so that the owner's logging configuration applies.
 * An illegal transition is a bug and loud: it throws (and is logged at ERROR).
 */
public final class Lifecycle {

    private final AtomicReference<LifecycleState> state = new AtomicReference<>(LifecycleState.CREATED);
    private final String name;
    private final Logger log;

    /**
     * @param name what the lifecycle belongs to, the start of each line, e.g. {@code recorder}
     * @param log  the owner's logger
     */
    public Lifecycle(String name, Logger log) {
        this.name = Objects.requireNonNull(name, "name");
        this.log = Objects.requireNonNull(log, "log");
    }

    public LifecycleState state() {
        return state.get();
    }

    /**
     * Moves from {@code from} to {@code to}.
     *
     * @throws IllegalStateException when the state is not {@code from}, or {@code to} may not follow it
     */
    public void transition(LifecycleState from, LifecycleState to) {
        if (!tryTransition(from, to)) {
            throw illegal(from, to, "found the state " + state.get());
        }
    }

    /**
     * Moves from {@code from} to {@code to} if the state is {@code from}; false (and nothing logged) when
     * another thread got there first.
     *
     * @throws IllegalStateException when {@code to} may never follow {@code from}
     */
    public boolean tryTransition(LifecycleState from, LifecycleState to) {
        if (!from.successors().contains(to)) {
            throw illegal(from, to, "is not a legal transition");
        }
        if (state.compareAndSet(from, to)) {
            log.info("{}: {} -> {}", name, from, to);
            return true;
        }
        return false;
    }

    /**
     * Moves from whatever state it is in to {@link LifecycleState#FAILED}, unless it is final already.
     *
     * @return the state it failed from, or null when it was final (nothing changed)
     * @throws IllegalStateException when it is {@link LifecycleState#CREATED}: what never started cannot fail
     */
    public LifecycleState fail() {
        while (true) {
            LifecycleState current = state.get();
            if (current.isFinal()) {
                return null;
            }
            if (tryTransition(current, LifecycleState.FAILED)) {
                return current;
            }
        }
    }

    private IllegalStateException illegal(LifecycleState from, LifecycleState to, String why) {
        IllegalStateException e = new IllegalStateException(name + ": " + from + " -> " + to + " " + why);
        log.error("Illegal lifecycle transition", e);
        return e;
    }
}
