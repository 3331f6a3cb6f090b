package dev.lsr.consumer.cli.internal;

import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.reader.ReplayListener;
import java.util.HashSet;
import java.util.Set;

/**
 * Passes a replay on to a listener and notes the runs it read anything of: a record, or a record it could not read
 * that names the run. A run whose every record is unreadable is in the log, with problems (exit 6), not missing
 * from it (exit 7).
 */
public final class RunsSeen implements ReplayListener {

    private final ReplayListener delegate;
    private final Set<String> runs = new HashSet<>();

    public RunsSeen(ReplayListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void onEvent(ReplayEvent event) {
        if (event.runId() != null) {
            runs.add(event.runId());
        }
        delegate.onEvent(event);
    }

    /** True when anything of the run was read, readable or not. */
    public boolean contains(String runId) {
        return runs.contains(runId);
    }
}
