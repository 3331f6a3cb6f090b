package dev.lsr.viewer.internal.http;

import dev.lsr.viewer.model.RunView;
import java.util.Optional;

/** Where the run page's view of one run comes from (the log, or a test's events). */
@FunctionalInterface
public interface RunSource {

    /**
     * The run's view, empty when the log holds nothing of it.
     *
     * @throws ViewerBusyException when the source reads too many other runs for this one to get a turn in time
     */
    Optional<RunView> view(String runId);
}
