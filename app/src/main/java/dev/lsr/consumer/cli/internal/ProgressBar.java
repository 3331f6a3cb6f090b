package dev.lsr.consumer.cli.internal;

import dev.lsr.consumer.reader.ReplayProgress;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, redrawn in place ({@code \r}) at most every 100 ms:
 * {@code [#########           ]  45%  12,345/27,000 offsets} (offsets include transaction markers). Ends its line when done.
 */
public final class ProgressBar implements ReplayProgress {

    private static final int WIDTH = 30;
    private static final long REDRAW_MILLIS = 100;

    private final PrintWriter err;
    private final Clock clock;
    private long lastDrawn;
    private boolean redrawDue = true;
    private boolean visible;
    private boolean finished;

    public ProgressBar(PrintWriter err, Clock clock) {
        this.err = err;
        this.clock = clock;
    }

    @Override
    public void update(long done, long total) {
        if (finished) {
            return;
        }
        long now = clock.millis();
        boolean last = done >= total;
        if (!last && !redrawDue && now - lastDrawn < REDRAW_MILLIS) {
            return;
        }
        lastDrawn = now;
        redrawDue = false;
        err.print("\r" + render(done, total));
        visible = true;
        if (last) {
            err.println();
            visible = false;
            finished = true;
        }
        err.flush();
    }

    /** Clears the bar so that another line can be printed; it is redrawn on the next update. */
    public void clear() {
        if (visible) {
            err.print("\r" + " ".repeat(WIDTH + 40) + "\r");
            err.flush();
            visible = false;
            redrawDue = true;
        }
    }

    static String render(long done, long total) {
        double fraction = total == 0 ? 1.0 : Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        return String.format(
                Locale.ROOT,
                "[%s%s] %3d%%  %,d/%,d offsets",
                "#".repeat(filled),
                " ".repeat(WIDTH - filled),
                Math.round(fraction * 100),
                done,
                total);
    }
}
