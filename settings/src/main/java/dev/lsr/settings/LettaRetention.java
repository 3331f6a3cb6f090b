package dev.lsr.settings;

import java.time.Duration;

/**
 * How long a Letta server keeps what the recorder may still need, one fact in one place for the
 * recorder and the simulator (protocol §3.3: Redis key TTL 10 800 s, resumes of runs created more
 * than 3 h ago answered 410, otid mappings 3 h).
 */
public final class LettaRetention {

    /** A run's stream (and its resume window) lives this long. */
    public static final Duration STREAM = Duration.ofHours(3);

    private LettaRetention() {}
}
