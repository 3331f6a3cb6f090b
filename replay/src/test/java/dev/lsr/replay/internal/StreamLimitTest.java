package dev.lsr.replay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Refused stream requests are logged at most once a minute, each line counting the ones refused since the last. */
class StreamLimitTest {

    private Instant now = Instant.parse("2026-12-07T20:00:00Z");
    private final InstantSource clock = () -> now;

    @Test
    void refusalsAreLoggedAtMostOnceAMinuteWithTheCountSinceTheLastLine() {
        Logger logger = (Logger) LoggerFactory.getLogger(StreamLimit.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            StreamLimit limit = new StreamLimit(2, clock, Duration.ofSeconds(60));
            assertTrue(limit.logRefusal("POST /v1/runs/run-1/stream"));
            for (int i = 0; i < 50; i++) {
                now = now.plusSeconds(1);
                assertFalse(limit.logRefusal("POST /v1/runs/run-2/stream"));
            }
            now = now.plus(Duration.ofSeconds(10));
            assertTrue(limit.logRefusal("POST /v1/runs/run-3/stream"));

            List<String> logged = lines.list.stream()
                    .map(e -> e.getLevel() + " " + e.getFormattedMessage())
                    .toList();
            assertEquals(2, logged.size(), String.join("\n", logged));
            assertTrue(
                    logged.get(0).startsWith("WARN POST /v1/runs/run-1/stream: refused with 503, 2 stream"),
                    logged.get(0));
            assertTrue(logged.get(0).contains("; 1 stream request(s) refused since the last such line"), logged.get(0));
            assertTrue(logged.get(1).startsWith("WARN POST /v1/runs/run-3/stream: "), logged.get(1));
            assertTrue(logged.get(1).contains("; 51 stream request(s) refused since"), logged.get(1));
        } finally {
            logger.detachAppender(lines);
        }
    }
}
