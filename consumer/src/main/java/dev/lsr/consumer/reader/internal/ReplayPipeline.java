package dev.lsr.consumer.reader.internal;

import dev.lsr.chunklog.RunSequencer;
import dev.lsr.consumer.reader.LogLocation;
import dev.lsr.consumer.reader.ReadProblem;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.reader.ReplayListener;
import dev.lsr.consumer.reader.RunEnd;
import dev.lsr.consumer.reader.RunFilter;
import dev.lsr.consumer.reader.RunPartitions;
import dev.lsr.consumer.reader.RunRecord;
import dev.lsr.consumer.reader.internal.RunTrack.Decision;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The source-independent part of a replay: takes decoded records in log order, applies the
 * {@link RunFilter}, runs each run's chunk-log {@code RunSequencer}, and hands the listener one
 * {@link ReplayEvent} per thing read. Feed it with
 * {@link #accept}, then call {@link #finish} at the end of a bounded replay.
 */
public final class ReplayPipeline {

    private final RunFilter filter;
    private final ReplayListener listener;
    private final Counters counters;
    private final Map<String, RunTrack> runs = new LinkedHashMap<>();
    private final boolean joinsMidway;
    private final RunPartitions runPartitions;

    public ReplayPipeline(RunFilter filter, ReplayListener listener, Counters counters) {
        this(filter, listener, counters, false);
    }

    public ReplayPipeline(RunFilter filter, ReplayListener listener, Counters counters, boolean joinsMidway) {
        this(filter, listener, counters, joinsMidway, RunPartitions.UNKNOWN);
    }

    /**
     * @param joinsMidway whether the records start at the log's end (a follow from the end): a run first seen there
     *                    starts, for gap finding, at its first chunk seen
     * @param runPartitions where runs' records are: a record of a run in another partition is skipped as a problem
     *                      that names no run (it is not part of the run's log, so no fold of the run takes it)
     */
    public ReplayPipeline(
            RunFilter filter,
            ReplayListener listener,
            Counters counters,
            boolean joinsMidway,
            RunPartitions runPartitions) {
        this.filter = filter;
        this.listener = listener;
        this.counters = counters;
        this.joinsMidway = joinsMidway;
        this.runPartitions = runPartitions;
    }

    public void accept(Decoded decoded) {
        String runId = decoded.runId();
        if (runId == null) {
            if (filter.equals(RunFilter.all()) && decoded instanceof Decoded.Unreadable unreadable) {
                counters.countProblem(unreadable.problem());
                listener.onEvent(new ReplayEvent.Unreadable(unreadable.problem()));
            }
            return;
        }
        if (!filter.admitsRunId(runId)) {
            return;
        }
        RunTrack track = runs.computeIfAbsent(runId, id -> new RunTrack(id, joinsMidway));
        ReadProblem away = awayFromItsRun(decoded);
        if (away != null) {
            // a problem of the run's like an unreadable record, but one that decides nothing and takes no place in
            // its order: reported when the run is included (or left out undecided), not for a run the filter excludes
            Decoded.Unreadable stray = new Decoded.Unreadable(away);
            switch (track.decision) {
                case EXCLUDED -> {}
                case INCLUDED -> reportUnreadable(stray);
                case UNDECIDED -> track.heldBack.add(stray);
            }
            return;
        }
        switch (track.decision) {
            case EXCLUDED -> {}
            case INCLUDED -> process(track, decoded);
            case UNDECIDED -> decide(track, decoded);
        }
    }

    /** The problem of a record read in another partition than its run's ({@link RunPartitions}), else null. */
    private ReadProblem awayFromItsRun(Decoded decoded) {
        LogLocation location = switch (decoded) {
            case Decoded.Readable readable -> readable.record().location();
            case Decoded.Unreadable unreadable -> unreadable.problem().location();
        };
        if (location.isFile() || !runPartitions.elsewhere(decoded.runId(), location.partition())) {
            return null;
        }
        String why = runPartitions.whySkipped(decoded.runId());
        return switch (decoded) {
            case Decoded.Readable readable -> new ReadProblem(ReadProblem.Kind.UNREADABLE_RECORD, null, location, why);
            case Decoded.Unreadable unreadable ->
                new ReadProblem(
                        unreadable.problem().kind(),
                        null,
                        location,
                        unreadable.problem().detail() + "; " + why);
        };
    }

    private void decide(RunTrack track, Decoded decoded) {
        if (decoded instanceof Decoded.Readable readable) {
            track.learn(readable.record(), filter);
        } else if (!track.startSeen && filter.since() == null && filter.until() == null && !filter.needsRunIdentity()) {
            track.decision = Decision.INCLUDED;
        }
        if (track.decision == Decision.UNDECIDED && endsTheRun(decoded)) {
            // its log ended without naming what the filter asks (an agent-direct run names no conversation): no
            // record of it will decide it, so it is left out now, as at the end of a bounded replay, not held for good
            track.heldBack.add(decoded);
            leaveOut(track);
            return;
        }
        switch (track.decision) {
            case UNDECIDED -> track.heldBack.add(decoded);
            case EXCLUDED -> track.heldBack = List.of();
            case INCLUDED -> {
                List<Decoded> held = track.heldBack;
                track.heldBack = List.of();
                held.forEach(event -> process(track, event));
                process(track, decoded);
            }
        }
    }

    private void process(RunTrack track, Decoded decoded) {
        switch (decoded) {
            case Decoded.Unreadable unreadable -> {
                if (unreadable.chunkPosition() != null) {
                    track.skip(unreadable.chunkPosition(), unreadable.problem().location());
                    reportGap(track, unreadable.problem().location());
                }
                reportUnreadable(unreadable);
            }
            case Decoded.Readable readable -> deliver(track, readable.record());
        }
    }

    private void deliver(RunTrack track, RunRecord record) {
        RunSequencer.Verdict verdict = track.sequence(record);
        switch (verdict) {
            case DUPLICATE -> {
                counters.duplicates++;
                listener.onEvent(ReplayEvent.OfRecord.of(record, verdict));
            }
            case KEEPALIVE -> {
                counters.keepalivePings++;
                listener.onEvent(ReplayEvent.OfRecord.of(record, verdict));
            }
            case DELIVER -> {
                reportGap(track, record.location());
                counters.delivered++;
                if (!track.delivered) {
                    track.delivered = true;
                    counters.runs++;
                }
                ReplayEvent.OfRecord event = ReplayEvent.OfRecord.of(record, verdict);
                if (event instanceof ReplayEvent.Lifecycle lifecycle) {
                    lifecycle.problem().ifPresent(counters::countProblem);
                }
                listener.onEvent(event);
                if (!track.ended && track.endedByRecorder()) {
                    track.ended = true;
                    listener.onEvent(new ReplayEvent.End(track.end(), null));
                }
            }
        }
    }

    private static boolean endsTheRun(Decoded decoded) {
        return decoded instanceof Decoded.Readable readable
                && readable.record().type().isTerminal();
    }

    /**
     * Leaves out a run no readable record placed: only its problems are reported (its readable records were never
     * sequenced, so no gap is known), and nothing of it is held any more.
     */
    private void leaveOut(RunTrack track) {
        List<Decoded> held = track.heldBack;
        track.heldBack = List.of();
        track.decision = Decision.EXCLUDED;
        held.stream()
                .filter(Decoded.Unreadable.class::isInstance)
                .map(Decoded.Unreadable.class::cast)
                .forEach(this::reportUnreadable);
    }

    private void reportUnreadable(Decoded.Unreadable unreadable) {
        counters.countProblem(unreadable.problem());
        listener.onEvent(new ReplayEvent.Unreadable(unreadable.problem()));
    }

    /** Reports what the run's sequencer found missing right before the record at {@code location}, if anything. */
    private void reportGap(RunTrack track, LogLocation location) {
        ReadProblem gap = track.gap(location);
        if (gap != null) {
            counters.countProblem(gap);
            listener.onEvent(new ReplayEvent.Gap(gap));
        }
    }

    /**
     * Ends a bounded replay: every included run not yet ended ends now, truncated if it has no end. A run no
     * readable record placed (a time or agent filter waits for one) has its unreadable records reported: they are
     * problems of the log whatever the filter, never dropped without a word.
     */
    public void finish() {
        for (RunTrack track : runs.values()) {
            if (track.decision == Decision.UNDECIDED) {
                leaveOut(track);
            }
        }
        for (RunTrack track : runs.values()) {
            if (track.decision != Decision.INCLUDED || track.ended || !track.delivered) {
                continue; // runs without a single readable record have had their problems reported
            }
            track.ended = true;
            RunEnd end = track.end();
            ReadProblem truncated = null;
            if (end.isTruncated()) {
                truncated = new ReadProblem(
                        ReadProblem.Kind.TRUNCATED_RUN,
                        end.runId(),
                        track.lastLocation(),
                        "no terminal record and no terminal chunk by the end of the replay");
                counters.countProblem(truncated);
            }
            listener.onEvent(new ReplayEvent.End(end, truncated));
        }
    }
}
