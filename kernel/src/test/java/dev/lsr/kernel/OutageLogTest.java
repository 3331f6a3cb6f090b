package dev.lsr.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class OutageLogTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final Logger logger = LoggerFactory.getLogger("outage-log-test");
    private final LogLines lines = LogLines.of(logger);
    private Instant now = T0;
    private final OutageLog outage = new OutageLog(
            logger,
            new OutageLog.Wording("Letta", "is unreachable", "runs retry with backoff", "answers again"),
            () -> now);

    @AfterEach
    void release() {
        lines.close();
    }

    @Test
    void anOutageIsDatedFromItsFirstFailureUntilTheNextSuccess() {
        assertEquals(Optional.empty(), outage.since());
        outage.failed("Connection refused");
        now = now.plus(Duration.ofSeconds(5));
        outage.failed("Connection refused");

        assertEquals(Optional.of(T0), outage.since());
        outage.succeeded();
        assertEquals(Optional.empty(), outage.since());
    }

    @Test
    void anOutageIsOneWarningThenRareRemindersThenOneRecovery() {
        assertTrue(outage.failed("Connection refused"), "the first failure starts the outage");
        for (int i = 0; i < 10; i++) {
            now = now.plus(Duration.ofSeconds(1));
            assertFalse(outage.failed("Connection refused"));
        }
        now = now.plus(Duration.ofSeconds(50));
        assertFalse(outage.failed("Connection refused"));
        now = now.plus(Duration.ofSeconds(1));
        assertFalse(outage.failed("Connection refused"));
        assertTrue(outage.inOutage());
        now = now.plus(Duration.ofSeconds(9));

        Optional<OutageLog.Recovery> recovery = outage.succeeded();

        assertEquals(Optional.of(new OutageLog.Recovery(Duration.ofSeconds(70), 13)), recovery);
        assertFalse(outage.inOutage());
        assertEquals(
                List.of(
                        "WARN Letta is unreachable (Connection refused); runs retry with backoff",
                        "WARN Letta still failing after 60 s and 12 failed attempts (Connection refused)",
                        "INFO Letta answers again after 70000 ms and 13 failed attempts"),
                lines.atLeast(Level.INFO));
        assertEquals(10 + 1, lines.count(Level.DEBUG));
    }

    @Test
    void successWithoutAnOutageSaysNothing() {
        assertEquals(Optional.empty(), outage.succeeded());
        assertTrue(lines.atLeast(Level.DEBUG).isEmpty());
    }

    @Test
    void theNextOutageIsLoggedAndCountedAfresh() {
        outage.failed("first");
        outage.succeeded();
        assertTrue(outage.failed("second"));
        assertEquals(Optional.of(new OutageLog.Recovery(Duration.ZERO, 1)), outage.succeeded());
        assertEquals(4, lines.atLeast(Level.INFO).size());
    }

    @Test
    void anOutageCanEndWithoutASuccessOnceNothingIsTriedAnyMore() {
        outage.failed("Connection refused");
        now = now.plus(Duration.ofSeconds(3));

        assertEquals(Optional.of(new OutageLog.Recovery(Duration.ofSeconds(3), 1)), outage.ended("stopped retrying"));

        assertFalse(outage.inOutage());
        assertEquals(Optional.empty(), outage.ended("stopped retrying"), "once per outage");
        assertEquals(
                "INFO Letta stopped retrying after 3000 ms and 1 failed attempts",
                lines.atLeast(Level.INFO).getLast());
    }
}
