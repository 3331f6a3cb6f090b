package dev.lsr.recorder.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kernel.Backoff;
import dev.lsr.recorder.RecorderListener;
import dev.lsr.recorder.internal.drain.RecordFactory;
import dev.lsr.recorder.internal.drain.RunAppender;
import dev.lsr.recorder.internal.drain.StallWatchdog;
import dev.lsr.recorder.internal.letta.LettaApi;
import dev.lsr.recorder.internal.run.AttachGate;
import dev.lsr.recorder.internal.run.SessionContext;
import dev.lsr.recorder.internal.run.SessionSettings;
import dev.lsr.recorder.internal.run.Sleeper;
import dev.lsr.recorder.internal.run.SupervisorPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Everything a run session needs, faked: the scripted Letta, an in-memory log, a clock that the
 * sleeper moves (so backoffs cost no time), and a real watchdog on the system clock with short limits.
 */
public final class SessionHarness implements AutoCloseable {

    public static final String SOURCE = "http://letta.test";

    public final FakeLetta letta = new FakeLetta();
    public final RecordingAppender log = new RecordingAppender();
    public final MutableClock clock = new MutableClock(Instant.parse("2026-03-14T17:40:00Z"));
    public final List<Duration> sleeps = new ArrayList<>();
    public final AtomicBoolean stopping = new AtomicBoolean();
    public final StallWatchdog watchdog;
    private final SessionContext context;

    public SessionHarness() {
        this(Duration.ofMinutes(30), Duration.ofMillis(300), Duration.ofMillis(200));
    }

    public SessionHarness(Duration abandonAfter, Duration stallAfter, Duration grace) {
        this.watchdog =
                new StallWatchdog(Clock.systemUTC(), stallAfter, grace, abandonAfter).start(Duration.ofMillis(10));
        Sleeper sleeper = duration -> {
            synchronized (sleeps) {
                sleeps.add(duration);
            }
            clock.advance(duration);
        };
        SessionSettings settings = new SessionSettings(
                Backoff.exponential(Duration.ofMillis(250), Duration.ofSeconds(10)),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Duration.ofMillis(250));
        this.context = new SessionContext(
                letta,
                log,
                new RecordFactory(SOURCE, clock),
                watchdog,
                new SupervisorPolicy(abandonAfter),
                settings,
                sleeper,
                new Random(7),
                RecorderListener.NONE,
                stopping::get,
                new AttachGate(AttachGate.RESTORE_ATTACHES));
    }

    public SessionContext context() {
        return context;
    }

    /** {@link #context()} with Letta reached through {@code api} and the records going to {@code appender}. */
    public SessionContext context(LettaApi api, RunAppender appender) {
        return new SessionContext(
                api,
                appender,
                context.records(),
                context.watchdog(),
                context.policy(),
                context.settings(),
                context.sleeper(),
                context.random(),
                context.listener(),
                context.stopping(),
                context.restoreAttaches());
    }

    /** The fixture's chunk lines without its keepalive pings: what the log must hold, in order. */
    public static List<String> expectedChunks(String fixture) {
        return expectedChunks(fixture, Integer.MAX_VALUE);
    }

    /** Like {@link #expectedChunks(String)} over the first {@code lines} lines only. */
    public static List<String> expectedChunks(String fixture, int lines) {
        List<String> expected = new ArrayList<>();
        long lastSeq = 0;
        List<String> all = LettaFixtures.chunkLines(fixture);
        for (String line : all.subList(0, Math.min(lines, all.size()))) {
            ChunkPeek peek = ChunkPeek.of(line.getBytes(UTF_8));
            if (peek.isPing() && (peek.seqId() == null || peek.seqId() <= lastSeq)) {
                continue;
            }
            if (peek.seqId() != null) {
                lastSeq = peek.seqId();
            }
            expected.add(line);
        }
        return expected;
    }

    /** Stops the watchdog, then checks that the fake Letta served every scripted step and nothing unexpected. */
    @Override
    public void close() {
        watchdog.close();
        letta.assertExhausted();
    }
}
