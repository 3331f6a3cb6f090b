package dev.lsr.bench.system.internal;

import dev.lsr.recorder.RecorderSettings;
import java.time.Duration;

/** Constants every scenario shares. */
final class Sizes {

    /** Partitions of every chunk topic: the recorder's default. */
    static final int PARTITIONS = 6;

    /**
     * The commit window ours runs with in every scenario: the recorder's default {@code --commit-window}, or
     * {@code -Dbench.commit.window.ms=N} to measure another against it (two runs of the same jar).
     */
    static final Duration COMMIT_WINDOW = Duration.ofMillis(Long.getLong(
            "bench.commit.window.ms",
            RecorderSettings.COMMIT_WINDOW.defaultValue().toMillis()));

    /** {@code window N ms}, for the rows and notes. */
    static final String WINDOW = "window " + COMMIT_WINDOW.toMillis() + " ms";

    private Sizes() {}
}
