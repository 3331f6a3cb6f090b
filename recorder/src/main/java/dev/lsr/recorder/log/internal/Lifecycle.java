package dev.lsr.recorder.log.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The run log's states, changed by compare-and-set with one INFO line per transition; illegal ones throw. */
final class Lifecycle {

    enum State { CREATED, STARTING, RUNNING, FAILED, CLOSING, CLOSED }

    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);
    private static final Map<State, Set<State>> ALLOWED = Map.of(
            State.CREATED, Set.of(State.STARTING, State.CLOSED),
            State.STARTING, Set.of(State.RUNNING, State.FAILED),
            State.RUNNING, Set.of(State.FAILED, State.CLOSING),
            State.FAILED, Set.of(State.CLOSING),
            State.CLOSING, Set.of(State.CLOSED),
            State.CLOSED, Set.of());

    private final AtomicReference<State> state = new AtomicReference<>(State.CREATED);
    private final String name;

    Lifecycle(String name) {
        this.name = name;
    }

    State get() {
        return state.get();
    }

    /** Moves from {@code from} to {@code to}; throws when the log is elsewhere or the move is illegal. */
    void transition(State from, State to) {
        if (!tryTransition(from, to)) {
            throw new IllegalStateException("run log " + name + " is " + state.get() + ", not " + from);
        }
    }

    /** Moves from {@code from} to {@code to} when the log is in {@code from}; false otherwise. */
    boolean tryTransition(State from, State to) {
        if (!ALLOWED.get(from).contains(to)) {
            throw new IllegalStateException("illegal run log transition " + from + " -> " + to);
        }
        if (state.compareAndSet(from, to)) {
            LOG.info("run log {}: {} -> {}", name, from, to);
            return true;
        }
        return false;
    }
}
