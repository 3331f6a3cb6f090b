package dev.lsr.consumer.reader.internal;

import dev.lsr.consumer.reader.ReadProblem;
import dev.lsr.consumer.reader.ReplayStats;

/** The mutable counts behind a {@link ReplayStats}; single-threaded (a parallel replay keeps one per worker). */
public final class Counters {

    long records;
    long delivered;
    long runs;
    long duplicates;
    long keepalivePings;
    long unreadable;
    long newerFormat;
    long unknownTypes;
    long gaps;
    long truncatedRuns;
    long deletedOffsets;
    long rejectedChunks;

    /** Offsets deleted from the log (retention) before the reader read them. */
    public void countDeletedOffsets(long offsets) {
        deletedOffsets += offsets;
    }

    public void countRecord() {
        records++;
    }

    void countProblem(ReadProblem problem) {
        switch (problem.kind()) {
            case UNREADABLE_RECORD, MALFORMED_CHUNK -> unreadable++;
            case NEWER_FORMAT -> newerFormat++;
            case UNKNOWN_MESSAGE_TYPE -> unknownTypes++;
            case GAP -> gaps++;
            case TRUNCATED_RUN -> truncatedRuns++;
            case REJECTED_CHUNK -> rejectedChunks++;
        }
    }

    /** Adds another replay part's counts (the workers of a parallel replay). */
    public void add(Counters other) {
        records += other.records;
        delivered += other.delivered;
        runs += other.runs;
        duplicates += other.duplicates;
        keepalivePings += other.keepalivePings;
        unreadable += other.unreadable;
        newerFormat += other.newerFormat;
        unknownTypes += other.unknownTypes;
        gaps += other.gaps;
        truncatedRuns += other.truncatedRuns;
        deletedOffsets += other.deletedOffsets;
        rejectedChunks += other.rejectedChunks;
    }

    public ReplayStats snapshot() {
        return new ReplayStats(
                records,
                delivered,
                runs,
                duplicates,
                keepalivePings,
                unreadable,
                newerFormat,
                unknownTypes,
                gaps,
                truncatedRuns,
                deletedOffsets,
                rejectedChunks);
    }
}
