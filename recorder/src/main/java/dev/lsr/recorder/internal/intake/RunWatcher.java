package dev.lsr.recorder.internal.intake;

import dev.lsr.kernel.Backoff;
import dev.lsr.kernel.OutageLog;
import dev.lsr.recorder.RecorderFailure;
import dev.lsr.recorder.internal.letta.LettaApi;
import dev.lsr.recorder.internal.letta.LettaHttpException;
import dev.lsr.recorder.internal.letta.RetryAfter;
import dev.lsr.recorder.internal.letta.RunPages;
import dev.lsr.recorder.internal.letta.RunQuery;
import dev.lsr.recorder.internal.run.Sleeper;
import dev.lsr.recorder.log.ActiveRunListing;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls {@code GET /v1/runs/} for active background runs (all, or those of the given agents and
 * conversations) and attaches to every run it has not seen, as early as it can. Every listing is
 * walked page by page ({@link RunPages}), so no run is missed however many there are.
 *
 * <p>Ended background runs are swept too, once every {@value #SWEEP_EVERY_POLLS} poll intervals: the first sweep
 * over the catch-up window (runs that ran while no recorder was running), later ones over the runs
 * created since the previous sweep (runs shorter than the poll interval, which no active listing
 * shows), in small pages that stop at the first older run; the log's checkpoints skip runs it holds.
 *
 * <p>A failing call ends the round; the next round waits for the poll interval, the backoff (growing
 * while calls keep failing) or the server's {@code Retry-After}, whichever is longest. Failures are
 * logged once per streak ({@link OutageLog}); rejected credentials stop the recorder.
 */
public final class RunWatcher implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(RunWatcher.class);
    /** How far before the previous sweep a later sweep looks for ended runs: covers server clock skew and slow listings. */
    static final Duration ENDED_RUN_MARGIN = Duration.ofSeconds(60);
    /** Ended runs are swept once per this many poll intervals (after the first round). */
    static final int SWEEP_EVERY_POLLS = 10;
    /** The page size of a later sweep: it usually needs only a few runs, and stops at the first older one. */
    static final int SWEEP_PAGE = 100;
    /** A run handed to the fleet and still listed as active is offered again once per this many poll intervals. */
    public static final int REOFFER_EVERY_POLLS = 60;
    /** How long a run handed to the fleet counts as known to the watcher polling every {@code interval}. */
    public static Duration reofferAfter(Duration interval) {
        return interval.multipliedBy(REOFFER_EVERY_POLLS);
    }

    /** The longest wait between failing rounds (unless the server asks for longer). */
    static final Duration MAX_BACKOFF = Duration.ofMinutes(2);

    private final LettaApi api;
    private final RunRegistry registry;
    private final List<RunQuery> queries;
    private final Duration interval;
    private final Duration sweepInterval;
    private final Sleeper sleeper;
    private final BooleanSupplier stopping;
    private final Consumer<RecorderFailure> onFatal;
    private final Clock clock;
    private final Duration catchUp;
    private final Backoff initialBackoff;
    private Backoff backoff;
    private Duration nextDelay;
    /** The runs the last complete round listed as active (this watcher's, or an earlier one's on this recorder). */
    private final ActiveListing activeRuns;
    /** When the last complete sweep of ended runs started; null before the first. */
    private Instant lastSweepStart;

    private final OutageLog listing;

    /**
     * @param catchUp at the first round, also attach background runs that ended at most this long
     *                ago ({@link Duration#ZERO}: no catch-up)
     */
    public RunWatcher(
            LettaApi api,
            RunRegistry registry,
            List<String> agentIds,
            List<String> conversationIds,
            Duration interval,
            Duration catchUp,
            Clock clock,
            Sleeper sleeper,
            BooleanSupplier stopping,
            Consumer<RecorderFailure> onFatal) {
        this(
                api,
                registry,
                agentIds,
                conversationIds,
                interval,
                catchUp,
                clock,
                sleeper,
                stopping,
                onFatal,
                new ActiveListing());
    }

    /** @param activeRuns what the recorder's watchers listed as active last, shared by its successive watchers */
    public RunWatcher(
            LettaApi api,
            RunRegistry registry,
            List<String> agentIds,
            List<String> conversationIds,
            Duration interval,
            Duration catchUp,
            Clock clock,
            Sleeper sleeper,
            BooleanSupplier stopping,
            Consumer<RecorderFailure> onFatal,
            ActiveListing activeRuns) {
        this.activeRuns = activeRuns;
        this.api = api;
        this.registry = registry;
        this.queries = queries(agentIds, conversationIds);
        this.interval = interval;
        this.sweepInterval = interval.multipliedBy(SWEEP_EVERY_POLLS);
        this.sleeper = sleeper;
        this.stopping = stopping;
        this.onFatal = onFatal;
        this.catchUp = catchUp;
        this.clock = clock;
        this.initialBackoff =
                Backoff.exponential(interval, MAX_BACKOFF.compareTo(interval) > 0 ? MAX_BACKOFF : interval);
        this.backoff = initialBackoff;
        this.listing = new OutageLog(
                log,
                new OutageLog.Wording("Listing runs", "failed", "the watcher backs off while it fails", "works again"),
                clock);
        this.nextDelay = interval;
    }

    /** The runs a watcher of these agents and conversations lists as active, for the start-up's tombstones. */
    public static ActiveRunListing listing(LettaApi api, List<String> agentIds, List<String> conversationIds) {
        List<RunQuery> queries = queries(agentIds, conversationIds);
        return () -> {
            Set<String> listed = new HashSet<>();
            for (RunQuery query : queries) {
                RunPages.forEach(api, query, null, run -> {
                    if (run.isActive()) {
                        listed.add(run.id());
                    }
                });
            }
            return listed;
        };
    }

    static List<RunQuery> queries(List<String> agentIds, List<String> conversationIds) {
        List<RunQuery> queries = new ArrayList<>();
        agentIds.forEach(agent -> queries.add(RunQuery.activeBackground(agent, null)));
        conversationIds.forEach(conversation -> queries.add(RunQuery.activeBackground(null, conversation)));
        if (queries.isEmpty()) {
            queries.add(RunQuery.activeBackground(null, null));
        }
        return List.copyOf(queries);
    }

    @Override
    public void run() {
        log.info(
                "Watching for active background runs every {} ms ({} quer{}), ended ones every {} s",
                interval.toMillis(),
                queries.size(),
                queries.size() == 1 ? "y" : "ies",
                sweepInterval.toSeconds());
        while (!stopping.getAsBoolean()) {
            if (!pollOnce()) {
                return;
            }
            try {
                sleeper.sleep(nextDelay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One round over all queries; false when the recorder must stop. */
    boolean pollOnce() {
        Instant roundStart = clock.instant();
        boolean sweep = lastSweepStart == null || !roundStart.isBefore(lastSweepStart.plus(sweepInterval));
        try {
            Set<String> listedActive = new HashSet<>();
            for (RunQuery query : queries) {
                RunPages.forEach(api, query, null, run -> {
                    if (run.isActive()) {
                        listedActive.add(run.id());
                        if (!registry.isKnown(run.id())) {
                            registry.attach(run.id(), run, "watch");
                        }
                    }
                });
            }
            activeRuns.update(listedActive).forEach(registry::offerOnceMoreAtItsEnd);
            if (sweep) {
                sweepEnded();
                lastSweepStart = roundStart;
            }
            succeeded();
        } catch (LettaHttpException e) {
            if (e.status() == 401 || e.status() == 403) {
                onFatal.accept(new RecorderFailure.CredentialsRejected(
                        "Letta rejected the API key (HTTP " + e.status() + ")", null));
                return false;
            }
            failed(e);
        } catch (IOException e) {
            failed(e);
        } catch (RuntimeException e) {
            // a bug or a closed log in a hand-over must not end watching without a word: a failed round
            failed(new IOException("the round failed unexpectedly: " + e, e));
        }
        return true;
    }

    /** How long {@link #run()} waits before the next round. */
    Duration nextDelay() {
        return nextDelay;
    }

    /**
     * Attaches background runs that ended and are not known: at the first sweep those created within
     * the catch-up window (runs that ran while no recorder did), later those created since the previous
     * sweep (runs that started and ended between two rounds, never seen active). Runs already recorded
     * are skipped by the registry through their checkpoints.
     */
    private void sweepEnded() throws IOException {
        boolean catchingUp = lastSweepStart == null;
        if (catchingUp && catchUp.isZero()) {
            return;
        }
        Instant since = catchingUp ? clock.instant().minus(catchUp) : lastSweepStart.minus(ENDED_RUN_MARGIN);
        String mode = catchingUp ? "catch_up" : "watch_ended";
        int[] attached = new int[1];
        for (RunQuery active : queries) {
            RunQuery ended = RunQuery.endedBackground(active.agentId(), active.conversationId());
            RunPages.forEach(api, catchingUp ? ended : ended.withLimit(SWEEP_PAGE), since, run -> {
                if (!registry.isKnown(run.id())) {
                    registry.attach(run.id(), run, mode);
                    attached[0]++;
                }
            });
        }
        if (catchingUp) {
            log.info("Catching up: checking {} background run(s) that ended since {}", attached[0], since);
        } else if (attached[0] > 0) {
            log.info("Attached {} background run(s) that started and ended between two polls", attached[0]);
        }
    }

    private void succeeded() {
        listing.succeeded();
        backoff = initialBackoff;
        nextDelay = interval;
    }

    private void failed(IOException e) {
        Duration delay = RetryAfter.atLeast(e, longer(interval, backoff.delay(RandomGenerator.getDefault())));
        backoff = backoff.next();
        nextDelay = delay;
        listing.failed(e.getMessage() + "; next in " + delay.toMillis() + " ms");
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
