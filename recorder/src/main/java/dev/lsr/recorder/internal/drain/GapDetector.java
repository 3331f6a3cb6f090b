package dev.lsr.recorder.internal.drain;

import dev.lsr.chunklog.LifecycleEvent.RunGap;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RunState;
import dev.lsr.recorder.RecorderListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Records the stored frames of a run that the server no longer has, so that a gap in the log is never
 * silent: a {@code run.gap} record, a count for the metrics, and a warning for the run's first gap and
 * for a lost end (the run's end line counts the others).
 *
 * <p>The next stored frame after position {@code (v, k)} is number {@code v + k + 1}
 * ({@link Position#nextNumber()}, the one rule the reader applies too). A frame with a higher
 * visible seq means the frames in between are gone: Letta trims
 * a run's stream at about 10,000 entries and expires it after 3 hours (§3.3), and a reader that resumes
 * below the trimmed point, or falls that far behind, goes on with the oldest entry left without a word.
 * A resume answered 410 after frames were recorded loses whatever came after them.
 */
public final class GapDetector {

    private static final Logger log = LoggerFactory.getLogger(GapDetector.class);

    private final RecordFactory records;
    private final RunAppender appender;
    private final RecorderListener listener;

    public GapDetector(RecordFactory records, RunAppender appender, RecorderListener listener) {
        this.records = records;
        this.appender = appender;
        this.listener = listener;
    }

    /**
     * The seqs missing right before a new frame at {@code next}, or null.
     *
     * @param next           the frame's position, after everything the run holds
     * @param connectionLast the position of the previous frame of this connection (its
     *                       {@code starting_after} before any frame)
     * @param lastAppended   the run's last appended position (ahead of {@code connectionLast} while a
     *                       resume replays seq-less frames the log already holds)
     */
    static RunGap trimmedBefore(Position next, Position connectionLast, Position lastAppended) {
        if (next.sub() != 0) {
            return null; // a seq-less frame shows no number to compare
        }
        long expected = Math.max(connectionLast.nextNumber(), lastAppended.nextNumber());
        return next.seq() > expected ? new RunGap(expected, next.seq() - 1, "trimmed") : null;
    }

    /** Records the gap before the frame at {@code next}, if there is one. */
    void beforeFrame(RunCursor run, Position connectionLast, Position next) {
        RunGap gap = trimmedBefore(next, connectionLast, run.lastAppended());
        if (gap != null) {
            record(run, gap, "the server no longer had them (trimmed stream)");
        }
    }

    /**
     * The server refused the run for good (410 expired, 404 gone, 400 not resumable): whatever it stored after the
     * last appended position is lost (a gap to the end of the run, with {@code cause}: {@code expired},
     * {@code gone}, {@code not_resumable}). Nothing is recorded for a run the log holds nothing of: its refusal
     * record says it all.
     */
    public void lostTail(RunCursor run, String cause) {
        if (run.lastAppended().isAfter(Position.START)) {
            toTheEnd(run, cause, "the server refused the run (" + cause + ") before the recorder read them");
        }
    }

    /**
     * Letta says the run ended, but no connection brought its end ({@code [DONE]}, or its stored error after a
     * {@code stop_reason}): the connections after the last appended position showed nothing more (a stream key
     * Letta lost, §3.3). Whatever it stored after that position was not read: a gap to the end of the run, cause
     * {@code unread}, from the run's first seq when nothing was appended.
     */
    public void unreadEnd(RunCursor run) {
        toTheEnd(
                run,
                "unread",
                "Letta says the run ended, but its stream showed nothing more and its end was never read");
    }

    /** Records the frames after the run's last appended position as missing, to the (unknown) end of the run. */
    private void toTheEnd(RunCursor run, String cause, String why) {
        record(run, new RunGap(run.lastAppended().nextNumber(), null, cause), why);
    }

    /** The {@code run.gap} cause for a run refused into this state. */
    public static String causeOf(RunState refused) {
        return switch (refused) {
            case EXPIRED -> "expired";
            case GONE -> "gone";
            case NOT_RESUMABLE -> "not_resumable";
            default -> throw new IllegalArgumentException("not a refusal: " + refused);
        };
    }

    private void record(RunCursor run, RunGap gap, String why) {
        appender.append(records.gap(run, gap), RunState.ACTIVE);
        listener.gapRecorded(run.runId(), gap.cause(), gap.missing());
        run.gapRecorded();
        // at WARN once per run, and for a lost end: a stream with a gap at every frame would flood; the run's end
        // line counts them
        boolean warn = run.gaps() == 1 || gap.to() == null;
        log.atLevel(warn ? Level.WARN : Level.DEBUG)
                .log(
                        "Run {}: seqs {} .. {} are missing from the log: {}; recorded as run.gap{}",
                        run.runId(),
                        gap.from(),
                        gap.to() == null ? "the end of the run" : gap.to(),
                        why,
                        run.gaps() == 1 && gap.to() != null ? " (later gaps are counted at the run's end)" : "");
    }
}
