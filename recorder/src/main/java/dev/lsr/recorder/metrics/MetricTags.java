package dev.lsr.recorder.metrics;

import dev.lsr.chunklog.LifecycleEvent.RunResumed;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.RunState;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The tags of the recorder's meters and their values: a small fixed set each, so cardinality stays bounded. */
final class MetricTags {

    static final String REASON = "reason";
    static final String CAUSE = "cause";
    static final String STATE = "state";
    static final String TYPE = "type";
    static final String KIND = "kind";
    static final String OTHER = "other";
    static final String FENCED = "fenced";
    static final String FATAL = "fatal";

    /** Why a frame was rejected, as the recorder's {@code chunk.rejected} records say. */
    static final List<String> REASONS = List.of("oversized", "invalid_utf8", "malformed_json", OTHER);
    /**
     * Why a run was resumed: the resume record's cause (every one the recorder writes), HTTP statuses folded into
     * their class.
     */
    static final List<String> CAUSES = List.of(
            "eof",
            "io_error",
            "stall",
            "error_frame",
            RunResumed.RESTART,
            RunResumed.REATTACH,
            "http_4xx",
            "http_5xx",
            OTHER);
    /** Why stored frames of a run are missing from the log, as the recorder's {@code run.gap} records say. */
    static final List<String> GAP_CAUSES = List.of("trimmed", "expired", "unread", OTHER);
    /** A recording that failed (retried later), as the {@code state} of an ended recording. */
    static final String FAILED_RECORDING = "failed";
    /**
     * The state a recording ended in; {@code interrupted} for a recorder that stopped before the run did,
     * {@code failed} for a recording that failed.
     */
    static final List<String> STATES = Stream.concat(
                    Arrays.stream(RunState.values()).map(MetricTags::state), Stream.of(FAILED_RECORDING))
            .toList();

    static final List<String> TYPES =
            Arrays.stream(RecordType.values()).map(MetricTags::type).toList();

    private MetricTags() {}

    static String reason(String reason) {
        return REASONS.contains(reason) ? reason : OTHER;
    }

    static String gapCause(String cause) {
        return GAP_CAUSES.contains(cause) ? cause : OTHER;
    }

    static String cause(String cause) {
        if (cause == null) {
            return OTHER;
        }
        if (CAUSES.contains(cause)) {
            return cause;
        }
        return cause.matches("http_4\\d\\d") ? "http_4xx" : cause.matches("http_5\\d\\d") ? "http_5xx" : OTHER;
    }

    static String state(RunState state) {
        return state == RunState.ACTIVE ? "interrupted" : state.name().toLowerCase(Locale.ROOT);
    }

    static String type(RecordType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }
}
