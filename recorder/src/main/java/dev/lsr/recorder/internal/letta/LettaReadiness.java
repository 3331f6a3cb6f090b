package dev.lsr.recorder.internal.letta;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The recorder's {@code letta} readiness check: {@link LettaCallHealth}'s last outcome, asked again first when it is
 * older than {@link #ASK_AFTER}. A recorder that lists nothing (no watcher, its runs done or none, no outage) would
 * otherwise keep its last outcome, or none, for good, and read {@code UP} while Letta is down. It asks Letta's listing
 * ({@link LettaApi#checkServer}, through {@link OutageTrackingLettaApi}, which tells {@link LettaCallHealth} and the
 * outage log) on the caller's thread, one ask at a time: a caller meanwhile gets the last outcome. The ask takes at
 * most the request timeout; the health run waits for it 5 s at most. The outcome's age is {@link LettaCallHealth}'s,
 * on a monotonic time.
 */
public final class LettaReadiness {

    /**
     * How old the last listing's outcome may be before the check asks again: well above a watcher's poll interval
     * (default 1 s), so a watcher's listings keep it fresh, and a few kubelet probe periods, so a recorder that lists
     * nothing asks at most once every 30 s.
     */
    static final Duration ASK_AFTER = Duration.ofSeconds(30);

    private final LettaApi tracked;
    private final LettaCallHealth health;
    private final AtomicBoolean asking = new AtomicBoolean();

    /** @param tracked Letta through the {@link OutageTrackingLettaApi} that tells {@code health} */
    public LettaReadiness(LettaApi tracked, LettaCallHealth health) {
        this.tracked = tracked;
        this.health = health;
    }

    /** Why Letta's last listing failed, or empty while it answered; asked first when that was too long ago. */
    public Optional<String> failure() {
        if (health.outcomeOlderThan(ASK_AFTER) && asking.compareAndSet(false, true)) {
            try {
                tracked.checkServer();
            } catch (IOException e) {
                // told LettaCallHealth how it ended
            } finally {
                asking.set(false);
            }
        }
        return health.failure();
    }
}
