package dev.lsr.consumer.reader;

/**
 * What one replay read and what it dropped or reported. {@code records} counts everything read;
 * the other counts only what concerns runs that passed the filter (problems exactly as the
 * listener was told them; a record that names no run is reported only when no filter is set).
 *
 * @param records        records read from the log (or lines from files), all runs
 * @param delivered      records handed to the listener
 * @param runs           runs handed to the listener
 * @param duplicates     chunks dropped because their (run, position) was already read
 * @param keepalivePings keepalive pings dropped (they repeat the previous chunk's position)
 * @param unreadable     records skipped as unreadable (including malformed chunks)
 * @param newerFormat    records skipped for a newer format version
 * @param unknownTypes   chunks skipped for an unknown {@code message_type}
 * @param gaps           gaps reported
 * @param truncatedRuns  runs reported truncated
 * @param deletedOffsets offsets deleted from the log (a finite {@code retention.ms}, {@code deleteRecords})
 *                       while the replay had not read them yet: records it never saw, of any run
 * @param rejectedChunks {@code chunk.rejected} records delivered: frames the recorder could not keep
 */
public record ReplayStats(
        long records,
        long delivered,
        long runs,
        long duplicates,
        long keepalivePings,
        long unreadable,
        long newerFormat,
        long unknownTypes,
        long gaps,
        long truncatedRuns,
        long deletedOffsets,
        long rejectedChunks) {

    /** Records skipped as bad input. */
    public long skipped() {
        return unreadable + newerFormat + unknownTypes;
    }

    /**
     * True when any record was skipped or deleted unread, any run is marked (gap, truncation), or a run misses a frame
     * the recorder could not keep.
     */
    public boolean hasProblems() {
        return skipped() + gaps + truncatedRuns + deletedOffsets + rejectedChunks > 0;
    }

    /** One line for a terminal. */
    public String summaryLine() {
        String line =
                "%d records, %d runs; %d skipped (%d unreadable, %d newer format, %d unknown type), %d duplicates, %d gaps, %d truncated runs"
                        .formatted(
                                records,
                                runs,
                                skipped(),
                                unreadable,
                                newerFormat,
                                unknownTypes,
                                duplicates,
                                gaps,
                                truncatedRuns);
        if (rejectedChunks > 0) {
            line += "; " + rejectedChunks + " rejected chunks (frames the recorder could not keep)";
        }
        return deletedOffsets == 0
                ? line
                : line + "; " + deletedOffsets + " offsets deleted from the log (retention) before they were read";
    }
}
