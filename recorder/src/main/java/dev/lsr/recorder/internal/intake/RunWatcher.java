package dev.lsr.recorder.internal.intake;

import dev.lsr.kernel.Backoff;
import dev.lsr.kernel.OutageLog;
import dev.lsr.recorder.RecorderFailure;
import dev.lsr.recorder.internal.letta.LettaApi;
import dev.lsr.recorder.internal.letta.LettaHttpException;
import dev.lsr.recorder.internal.letta.RetryAfter;
import dev.lsr.recorder.internal.letta.Run;
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
 * <p>Each query (agent, conversation) is listed and swept on its own: one that fails (an agent deleted, say) costs
 * only its own runs, keeps its runs' last listing and its own sweep window, and is retried with its own growing
 * pause, logged when it starts failing and when it works again. When every query fails, the next round waits for
 * the poll interval, the backoff (growing while calls keep failing) or the server's {@code Retry-After}, whichever
 * is longest. Failures are logged once per streak ({@link OutageLog}); rejected credentials stop the recorder.
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
    /** The queries, each with its last listing, its sweep window and its own retry pause. */
    private final List<WatchedQuery> watched;
    /** When the last round with a sweep of ended runs started; null before the first. */
    private Instant lastSweepRound;
    /** When this watcher's first round started: the catch-up window reaches back from there. */
    private Instant firstRound;

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
        this.watched = this.queries.stream()
                .map(query -> new WatchedQuery(query, initialBackoff))
                .toList();
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
                listed.addAll(activeRunsOf(api, query, run -> {}));
            }
            return listed;
        };
    }

    /** The ids of the active runs {@code query} lists, each handed to {@code each} as it is read. */
    private static Set<String> activeRunsOf(LettaApi api, RunQuery query, Consumer<Run> each) throws IOException {
        Set<String> listed = new HashSet<>();
        RunPages.forEach(api, query, null, run -> {
            if (run.isActive()) {
                listed.add(run.id());
                each.accept(run);
            }
        });
        return listed;
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
        if (firstRound == null) {
            firstRound = roundStart;
        }
        boolean sweep = lastSweepRound == null || !roundStart.isBefore(lastSweepRound.plus(sweepInterval));
        Set<String> listedActive = new HashSet<>();
        IOException failure = null;
        int failedQueries = 0;
        boolean several = watched.size() > 1;
        for (WatchedQuery watch : watched) {
            if (stopping.getAsBoolean()) {
                return true; // an interrupted listing is no reason to go on with the others
            }
            if (several && watch.waits(roundStart)) {
                listedActive.addAll(watch.listed);
                failedQueries++;
                continue;
            }
            try {
                watch.listed = listActive(watch.query);
                watch.listedOnce = true;
                if (sweep) {
                    sweepEnded(watch, roundStart);
                }
                if (several) {
                    watch.succeeded();
                }
            } catch (LettaHttpException e) {
                if (e.refusesCredentials()) {
                    onFatal.accept(new RecorderFailure.CredentialsRejected(
                            "Letta rejected the API key (HTTP " + e.status() + ")", null));
                    return false;
                }
                failure = queryFailed(watch, e, several, roundStart);
                failedQueries++;
            } catch (IOException e) {
                if (stopping.getAsBoolean()) {
                    return true; // the stop interrupted it (connecting too: OkHttpLettaApi), not Letta failing
                }
                failure = queryFailed(watch, e, several, roundStart);
                failedQueries++;
            } catch (RuntimeException e) {
                // a bug or a closed log in a hand-over must not end watching without a word: a failed query
                failure = queryFailed(
                        watch, new IOException("the round failed unexpectedly: " + e, e), several, roundStart);
                failedQueries++;
            }
            listedActive.addAll(watch.listed);
        }
        if (watched.stream().allMatch(watch -> watch.listedOnce)) {
            // only once every query has listed for this watcher: an empty first listing is no run's end
            for (String left : activeRuns.update(listedActive)) {
                try {
                    registry.offerOnceMoreAtItsEnd(left);
                } catch (RuntimeException e) {
                    log.warn("Run {}: left the listing, but could not be attached once more: {}", left, e.toString());
                }
            }
        }
        if (sweep) {
            lastSweepRound = roundStart;
        }
        if (failedQueries < watched.size()) {
            succeeded();
        } else if (failure != null) {
            failed(failure);
        }
        return true;
    }

    /** The active runs {@code query} lists; each one not known yet is attached. */
    private Set<String> listActive(RunQuery query) throws IOException {
        return activeRunsOf(api, query, run -> {
            if (!registry.isKnown(run.id())) {
                registry.attach(run.id(), run, "watch");
            }
        });
    }

    private IOException queryFailed(WatchedQuery watch, IOException e, boolean several, Instant now) {
        if (several) {
            watch.failed(e, now);
        }
        return e;
    }

    /** How long {@link #run()} waits before the next round. */
    Duration nextDelay() {
        return nextDelay;
    }

    /**
     * Attaches background runs of {@code watch}'s query that ended and are not known: at its first sweep those
     * created within the catch-up window (runs that ran while no recorder did), later those created since its
     * previous sweep (runs that started and ended between two rounds, never seen active). Runs already recorded are
     * skipped by the registry through their checkpoints. A query whose sweep fails keeps its window.
     */
    private void sweepEnded(WatchedQuery watch, Instant roundStart) throws IOException {
        boolean catchingUp = watch.sweptFrom == null;
        if (catchingUp && catchUp.isZero()) {
            // no catch-up: the next sweep looks back to this watcher's first round, however late this one is
            watch.sweptFrom = firstRound;
            return;
        }
        // in Letta's time, which the runs' created_at are in: a clock of this machine's that runs ahead of Letta's
        // by more than the margin would otherwise start the window after the short runs it is there to find
        Instant since =
                api.inLettasTime(catchingUp ? firstRound.minus(catchUp) : watch.sweptFrom.minus(ENDED_RUN_MARGIN));
        String mode = catchingUp ? "catch_up" : "watch_ended";
        int[] attached = new int[1];
        RunQuery ended = RunQuery.endedBackground(watch.query.agentId(), watch.query.conversationId());
        RunPages.forEach(api, catchingUp ? ended : ended.withLimit(SWEEP_PAGE), since, run -> {
            if (!registry.isKnown(run.id())) {
                registry.attach(run.id(), run, mode);
                attached[0]++;
            }
        });
        watch.sweptFrom = roundStart;
        if (catchingUp) {
            log.info("Catching up: checking {} background run(s) that ended since {}", attached[0], since);
        } else if (attached[0] > 0) {
            log.info("Attached {} background run(s) that started and ended between two polls", attached[0]);
        }
    }

    /**
     * One query of the watcher: the active runs it listed last (kept while it fails, so its runs do not seem to
     * have ended), the start of its last complete sweep (null before the first), and its own retry pause.
     */
    private static final class WatchedQuery {

        final RunQuery query;
        private final Backoff initialBackoff;
        Set<String> listed = Set.of();
        /** Whether this watcher has listed the query at least once (its {@link #listed} is its own). */
        boolean listedOnce;

        Instant sweptFrom;
        private Backoff backoff;
        private Instant retryAt;

        WatchedQuery(RunQuery query, Backoff backoff) {
            this.query = query;
            this.initialBackoff = backoff;
            this.backoff = backoff;
        }

        boolean waits(Instant now) {
            return retryAt != null && now.isBefore(retryAt);
        }

        void failed(IOException e, Instant now) {
            Duration pause = RetryAfter.atLeast(e, backoff.delay(RandomGenerator.getDefault()));
            if (retryAt == null) {
                log.warn(
                        "Listing runs of {} failed ({}); the other queries go on, this one is retried with a growing"
                                + " pause",
                        describe(),
                        e.getMessage());
            }
            backoff = backoff.next();
            retryAt = now.plus(pause);
        }

        void succeeded() {
            if (retryAt != null) {
                log.info("Listing runs of {} works again", describe());
            }
            retryAt = null;
            backoff = initialBackoff;
        }

        private String describe() {
            return query.agentId() != null
                    ? "agent " + query.agentId()
                    : query.conversationId() != null ? "conversation " + query.conversationId() : "every agent";
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
