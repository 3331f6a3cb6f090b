package dev.lsr.consumer.analytics.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.consumer.analytics.RunFold;
import dev.lsr.consumer.reader.ReplayEvent;

/**
 * A fold for the restore's tests: a run's state is its run id's text, enough to see which runs were restored, and a
 * saved state that is not a run id ({@code run-...}) cannot be read.
 */
final class RunNameFold implements RunFold<String> {

    @Override
    public String initial(String runId) {
        return runId;
    }

    @Override
    public String apply(String state, ReplayEvent event) {
        return state;
    }

    @Override
    public byte[] value(String state) {
        return state.getBytes(UTF_8);
    }

    @Override
    public byte[] saveState(String state) {
        return state.getBytes(UTF_8);
    }

    @Override
    public String restoreState(String runId, byte[] saved) {
        String text = new String(saved, UTF_8);
        if (!text.startsWith("run-")) {
            throw new IllegalArgumentException("unreadable saved state: " + text);
        }
        return text;
    }
}
