package dev.lsr.viewer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.viewer.testing.Replays;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunCatalogTest {

    /** Twelve runs an hour apart, run-00 the oldest, over two agents; every third one an error run. */
    private static RunCatalog twelveRuns() {
        List<ChunkLogRecord> records = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            records.addAll(FixtureLog.of(i % 3 == 2 ? "04-error-mid-run" : "02-tool-call-two-steps")
                    .runId(String.format("run-%02d", i))
                    .agent(i % 2 == 0 ? "agent-even" : "agent-odd")
                    .conversation("conv-" + i)
                    .shiftedBy(Duration.ofHours(i))
                    .records());
        }
        return Replays.replay(records, new RunCatalog());
    }

    @Test
    void runsComeNewestFirstAPageAtATime() {
        RunCatalog catalog = twelveRuns();

        RunsPage first = catalog.query(new RunQuery(null, null, null, null, null, null, 1, 5));
        RunsPage last = catalog.query(new RunQuery(null, null, null, null, null, null, 3, 5));

        assertEquals(List.of("run-11", "run-10", "run-09", "run-08", "run-07"), ids(first));
        assertEquals(List.of("run-01", "run-00"), ids(last));
        assertEquals(12, first.matching());
        assertEquals(3, first.pages());
        assertEquals(List.of("agent-even", "agent-odd"), first.agents());
        assertEquals(List.of("completed", "failed"), first.statuses());
    }

    @Test
    void filtersCombine() {
        RunCatalog catalog = twelveRuns();
        Instant sixth = catalog.row("run-06").startedAt();

        assertEquals(
                List.of("run-10", "run-08", "run-06", "run-04", "run-02", "run-00"),
                ids(catalog.query(new RunQuery("agent-even", null, null, null, null, null, 1, 50))));
        assertEquals(
                List.of("run-08", "run-02"),
                ids(catalog.query(new RunQuery("agent-even", null, "failed", null, null, null, 1, 50))));
        assertEquals(
                List.of("run-11", "run-08", "run-05", "run-02"),
                ids(catalog.query(new RunQuery(null, null, null, "llm_api_error", null, null, 1, 50))));
        assertEquals(
                List.of("run-07", "run-06"),
                ids(catalog.query(
                        new RunQuery(null, null, null, null, sixth, sixth.plus(Duration.ofHours(2)), 1, 50))));
        assertEquals(
                List.of("run-03"), ids(catalog.query(new RunQuery(null, "conv-3", null, null, null, null, 1, 50))));
    }

    @Test
    void aRowCarriesWhatTheRunsPageShows() {
        RunRow row = twelveRuns().row("run-00");

        assertEquals("completed", row.status());
        assertEquals("end_turn", row.stopReason());
        assertEquals(1, row.toolCalls());
        assertTrue(row.inputTokens() > 0 && row.outputTokens() > 0);
        assertTrue(row.durationMs() > 0);
        assertEquals(0, row.resumes());
        assertFalse(row.recording());
    }

    @Test
    void theCatalogSaysWhichRunsChangedSinceAVersion() {
        RunCatalog catalog = twelveRuns();
        long before = catalog.version();

        Replays.replay(
                FixtureLog.of("01-simple-reply").runId("run-new").unfinished().records(), catalog);

        assertTrue(catalog.version() > before);
        assertEquals(java.util.Set.of("run-new"), catalog.changedSince(before));
        assertEquals(13, catalog.query(RunQuery.all()).runsInLog());
    }

    private static List<String> ids(RunsPage page) {
        return page.rows().stream().map(RunRow::runId).toList();
    }

    /** A catalog that reads the log again from its beginning (its follower restarted) no longer claims every run. */
    @Test
    void aCatalogReadingTheLogAgainDoesNotClaimToKnowEveryRun() {
        RunCatalog catalog = new RunCatalog();
        catalog.caughtUp();
        assertTrue(catalog.knownAbsent("run-later"));

        catalog.following();

        assertFalse(catalog.knownAbsent("run-later"));
    }
}
