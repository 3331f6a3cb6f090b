package dev.lsr.consumer.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void rendersTheFractionDoneAsBarPercentAndCounts() {
        assertEquals("[###############               ]  50%  500/1,000 offsets", ProgressBar.render(500, 1000));
        assertEquals("[##############################] 100%  0/0 offsets", ProgressBar.render(0, 0));
    }

    @Test
    void redrawsInPlaceAtMostEveryHundredMillisAndEndsItsLineWhenDone() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        bar.update(1, 10);
        bar.update(2, 10); // same instant: not redrawn
        bar.update(10, 10); // the last one always is
        bar.update(10, 10); // after the end: nothing
        assertEquals(
                "\r" + ProgressBar.render(1, 10) + "\r" + ProgressBar.render(10, 10) + System.lineSeparator(),
                text.toString());
    }
}
