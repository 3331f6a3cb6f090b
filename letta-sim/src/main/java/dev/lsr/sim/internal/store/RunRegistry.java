package dev.lsr.sim.internal.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * All runs of the simulator: lookup by id, otid and request token, the conversation/agent locks
 * (protocol §3.4), and the {@code GET /v1/runs} listing.
 */
public final class RunRegistry {

    private final Map<String, Run> byId = new ConcurrentHashMap<>();
    private final List<Run> ordered = new ArrayList<>();
    private final Map<String, Run> lockHolders = new HashMap<>();
    private final Map<String, String> runByOtid = new ConcurrentHashMap<>();
    private final Map<String, String> runByToken = new ConcurrentHashMap<>();
    private final AtomicLong ordinals = new AtomicLong();

    /** Outcome of trying to create a run under a lock. */
    public sealed interface Creation {
        /** The run was created and holds the lock. */
        record Created(Run run) implements Creation {}

        /** Another active run holds the lock. */
        record Busy(Run holder) implements Creation {}
    }

    /** The next creation ordinal. */
    public long nextOrdinal() {
        return ordinals.incrementAndGet();
    }

    /** Adds a run that takes no lock (recorded runs). */
    public synchronized void add(Run run) {
        if (byId.putIfAbsent(run.id(), run) != null) {
            throw new IllegalArgumentException("duplicate run id " + run.id());
        }
        ordered.add(run);
    }

    /**
     * Creates a run unless its lock key is held by an active run. The factory gets the creation
     * ordinal. A run with a null lock key is always created.
     */
    public synchronized Creation createLocked(String lockKey, LongFunction<Run> factory) {
        if (lockKey != null) {
            Run holder = lockHolders.get(lockKey);
            if (holder != null && holder.state().status().isActive()) {
                return new Creation.Busy(holder);
            }
        }
        Run run = factory.apply(nextOrdinal());
        add(run);
        if (lockKey != null) {
            lockHolders.put(lockKey, run);
            run.onTerminal(this::release);
        }
        return new Creation.Created(run);
    }

    private synchronized void release(Run run) {
        if (run.info().lockKey() != null) {
            lockHolders.remove(run.info().lockKey(), run);
        }
    }

    /** Whether a lock key is free (no active holder). */
    public synchronized boolean isFree(String lockKey) {
        Run holder = lockHolders.get(lockKey);
        return holder == null || !holder.state().status().isActive();
    }

    /** Remembers the otids and request token of a send (3 h in Letta; here for the sim's life). */
    public void rememberSend(Run run, List<String> otids, String token) {
        for (String otid : otids) {
            runByOtid.put(otid, run.id());
        }
        if (token != null) {
            runByToken.put(token, run.id());
        }
    }

    public Optional<Run> find(String runId) {
        return Optional.ofNullable(byId.get(runId));
    }

    public Optional<Run> findByOtid(String otid) {
        return Optional.ofNullable(runByOtid.get(otid)).flatMap(this::find);
    }

    public Optional<Run> findByToken(String token) {
        return Optional.ofNullable(runByToken.get(token)).flatMap(this::find);
    }

    /** The newest created/running run holding or eligible for the lock key, if any. */
    public synchronized Optional<Run> latestActive(String lockKey) {
        for (int i = ordered.size() - 1; i >= 0; i--) {
            Run run = ordered.get(i);
            if (lockKey.equals(run.info().lockKey()) && run.state().status().isActive()) {
                return Optional.of(run);
            }
        }
        return Optional.empty();
    }

    /** The active runs of a lock key (conversation or agent). */
    public synchronized List<Run> active(java.util.function.Predicate<Run> filter) {
        List<Run> result = new ArrayList<>();
        for (Run run : ordered) {
            if (run.state().status().isActive() && filter.test(run)) {
                result.add(run);
            }
        }
        return result;
    }

    /** All runs in creation order. */
    public synchronized List<Run> all() {
        return List.copyOf(ordered);
    }

    /**
     * Runs matching the query, sorted and paged as {@code GET /v1/runs/} does: ordered by
     * {@code (created_at, id)}; a cursor ({@code after}/{@code before}, relative to the chosen order)
     * is looked up by id among all runs, whatever the filters, so a cursor run that changed status
     * since still anchors the page; an unknown cursor id means no cursor.
     */
    public List<Run> list(RunQuery query) {
        Comparator<Run> byCreation =
                Comparator.comparing((Run r) -> r.info().createdAt()).thenComparing(Run::id);
        Comparator<Run> order = query.ascending() ? byCreation : byCreation.reversed();
        Run after = query.after() == null ? null : byId.get(query.after());
        Run before = query.before() == null ? null : byId.get(query.before());
        return all().stream()
                .filter(query::matches)
                .filter(run -> after == null || order.compare(run, after) > 0)
                .filter(run -> before == null || order.compare(run, before) < 0)
                .sorted(order)
                .limit(query.limit())
                .toList();
    }
}
