package dev.lsr.consumer.testing;

import dev.lsr.chunklog.ChunkLogRecord;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Many small runs made from fixture templates: new run ids, five agents, shifted times. */
public final class SyntheticRuns {

    public static final List<String> TEMPLATES = List.of(
            "01-simple-reply",
            "02-tool-call-two-steps",
            "03-parallel-approvals",
            "04-error-mid-run",
            "06-cancelled-mid-way");

    private SyntheticRuns() {}

    public static String runId(int i) {
        return String.format(Locale.ROOT, "run-%08d-0000-4000-8000-%012d", i, i);
    }

    /** The records of synthetic run {@code i}, as the recorder would append them. */
    public static List<ChunkLogRecord> run(int i) {
        return FixtureLog.of(TEMPLATES.get(i % TEMPLATES.size()))
                .runId(runId(i))
                .agent("agent-" + (i % 5))
                .conversation("conv-" + (i % 40))
                .shiftedBy(Duration.ofSeconds(i * 7L))
                .records();
    }
}
