package dev.lsr.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class OutageLogTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final Logger logger = (Logger) LoggerFactory.getLogger("outage-log-test");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final SettableClock clock = new SettableClock();
    private final OutageLog outage = new OutageLog(logger,
            new OutageLog.Wording("Letta", "is unreachable", "runs retry with backoff", "answers again"), clock);

    @BeforeEach
    void capture() {
        logger.setLevel(Level.DEBUG);
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    @Test
    void anOutageIsOneWarningThenRareRemindersThenOneRecovery() {
        assertTrue(outage.failed("Connection refused"), "the first failure starts the outage");
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(1));
            assertFalse(outage.failed("Connection refused"));
        }
        clock.advance(Duration.ofSeconds(50));
        assertFalse(outage.failed("Connection refused"));
        clock.advance(Duration.ofSeconds(1));
        assertFalse(outage.failed("Connection refused"));
        assertTrue(outage.inOutage());
        clock.advance(Duration.ofSeconds(9));

        Optional<OutageLog.Recovery> recovery = outage.succeeded();

        assertEquals(Optional.of(new OutageLog.Recovery(Duration.ofSeconds(70), 13)), recovery);
        assertFalse(outage.inOutage());
        assertEquals(List.of(
                "WARN Letta is unreachable (Connection refused); runs retry with backoff",
                "WARN Letta still failing after 60 s and 12 failed attempts (Connection refused)",
                "INFO Letta answers again after 70000 ms and 13 failed attempts"), above(Level.INFO));
        assertEquals(10 + 1, lines.list.stream().filter(e -> e.getLevel() == Level.DEBUG).count());
    }

    @Test
    void successWithoutAnOutageSaysNothing() {
        assertEquals(Optional.empty(), outage.succeeded());
        assertTrue(lines.list.isEmpty());
    }

    @Test
    void theNextOutageIsLoggedAndCountedAfresh() {
        outage.failed("first");
        outage.succeeded();
        assertTrue(outage.failed("second"));
        assertEquals(Optional.of(new OutageLog.Recovery(Duration.ZERO, 1)), outage.succeeded());
        assertEquals(4, above(Level.INFO).size());
    }

    private List<String> above(Level level) {
        return lines.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(level))
                .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    private static final class SettableClock extends Clock {
        private Instant now = T0;

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
