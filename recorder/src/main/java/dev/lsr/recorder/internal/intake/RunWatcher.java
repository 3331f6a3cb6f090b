package dev.lsr.recorder.internal.intake;

import dev.lsr.recorder.internal.letta.LettaApi;
import dev.lsr.recorder.internal.letta.LettaHttpException;
import dev.lsr.recorder.internal.letta.Run;
import dev.lsr.recorder.internal.letta.RunQuery;
import dev.lsr.recorder.internal.run.RecorderFailure;
import dev.lsr.recorder.internal.run.Sleeper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls {@code GET /v1/runs/} for active background runs (all, or those of the given agents and
 * conversations) and attaches to every run it has not seen, as early as it can. Every round also
 * sweeps ended background runs: the first over the catch-up window (runs that ran while no recorder
 * was running), later ones over the time since the previous round (runs shorter than the poll
 * interval, which no active listing shows), unless the log already holds them. A failing poll is logged once per streak and
 * retried at the next interval; rejected credentials stop the recorder.
 */
public final class RunWatcher implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(RunWatcher.class);

    private final LettaApi api;
    private final RunRegistry registry;
    private final List<RunQuery> queries;
    private final Duration interval;
    private final Sleeper sleeper;
    private final BooleanSupplier stopping;
    private final Consumer<RuntimeException> onFatal;
    private final Clock clock;
    /** How far before the previous round a later round looks for ended runs: covers server clock skew. */
    static final Duration ENDED_RUN_MARGIN = Duration.ofSeconds(60);

    private final Duration catchUp;
    private Instant previousRoundStart;
    private boolean failing;
    private boolean caughtUp;

    /**
     * @param catchUp at the first round, also attach background runs that ended at most this long
     *                ago ({@link Duration#ZERO}: no catch-up)
     */
    public RunWatcher(LettaApi api, RunRegistry registry, List<String> agentIds, List<String> conversationIds,
                      Duration interval, Duration catchUp, Clock clock, Sleeper sleeper, BooleanSupplier stopping,
                      Consumer<RuntimeException> onFatal) {
        this.api = api;
        this.registry = registry;
        this.queries = queries(agentIds, conversationIds);
        this.interval = interval;
        this.sleeper = sleeper;
        this.stopping = stopping;
        this.onFatal = onFatal;
        this.catchUp = catchUp;
        this.clock = clock;
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
        log.info("Watching for active background runs every {} ms ({} quer{})", interval.toMillis(), queries.size(),
                queries.size() == 1 ? "y" : "ies");
        while (!stopping.getAsBoolean()) {
            if (!pollOnce()) {
                return;
            }
            try {
                sleeper.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One round over all queries; false when the recorder must stop. */
    boolean pollOnce() {
        Instant roundStart = clock.instant();
        Instant endedSince = caughtUp ? previousRoundStart.minus(ENDED_RUN_MARGIN) : roundStart.minus(catchUp);
        boolean allListed = true;
        for (RunQuery query : queries) {
            try {
                for (Run run : api.listRuns(query)) {
                    if (run.isActive() && !registry.isKnown(run.id())) {
                        registry.attach(run.id(), run, "watch");
                    }
                }
                sweepEnded(query, endedSince);
                if (failing) {
                    log.info("Listing runs works again");
                    failing = false;
                }
            } catch (LettaHttpException e) {
                if (e.status() == 401 || e.status() == 403) {
                    onFatal.accept(new RecorderFailure("Letta rejected the API key (HTTP " + e.status() + ")", null));
                    return false;
                }
                warnOnce(e);
                allListed = false;
            } catch (IOException e) {
                warnOnce(e);
                allListed = false;
            }
        }
        if (allListed) {
            caughtUp = true;
            previousRoundStart = roundStart;
        }
        return true;
    }

    /**
     * Attaches background runs that ended since {@code since} and are not known: at the first round the
     * catch-up window (runs that ran while no recorder did), later the runs that started and ended
     * between two rounds (shorter than the poll interval, never seen active). Runs already recorded
     * are skipped by the registry through their checkpoints.
     */
    private void sweepEnded(RunQuery active, Instant since) throws IOException {
        int attached = 0;
        for (Run run : api.listRuns(RunQuery.endedBackground(active.agentId(), active.conversationId()))) {
            if (run.createdAt() != null && !run.createdAt().isBefore(since) && !registry.isKnown(run.id())) {
                registry.attach(run.id(), run, caughtUp ? "watch_ended" : "catch_up");
                attached++;
            }
        }
        if (!caughtUp) {
            log.info("Catching up: checking {} background run(s) that ended since {}", attached, since);
        } else if (attached > 0) {
            log.info("Attached {} background run(s) that started and ended between two polls", attached);
        }
    }

    private void warnOnce(IOException e) {
        if (!failing) {
            log.warn("Listing runs failed, retrying every {} ms: {}", interval.toMillis(), e.getMessage());
            failing = true;
        }
    }
}
