package dev.lsr.viewer.internal.http;

import dev.lsr.viewer.model.RunView;
import java.util.Optional;

/** Where the run page's view of one run comes from (the log, or a test's events). */
@FunctionalInterface
public interface RunSource {

    /** The run's view, empty when the log holds nothing of it. */
    Optional<RunView> view(String runId);
}
