package dev.lsr.recorder.internal.letta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.Json;
import dev.lsr.recorder.testing.FakeLetta;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunPagesTest {

    private static final Instant T0 = Instant.parse("2026-03-14T17:00:00Z");
    private final FakeLetta letta = new FakeLetta();
    /** Newest first, as the server lists them: run-9 (T0+9s) ... run-0 (T0). */
    private final List<Run> runs = new ArrayList<>();

    RunPagesTest() {
        for (int i = 9; i >= 0; i--) {
            runs.add(Run.fromJson(Json.MAPPER
                    .createObjectNode()
                    .put("id", "run-" + i)
                    .put("status", "completed")
                    .put("created_at", T0.plusSeconds(i).toString())
                    .put("background", true)));
        }
        letta.onList(query -> {
            int from = query.after() == null
                    ? 0
                    : runs.indexOf(runs.stream()
                                    .filter(r -> r.id().equals(query.after()))
                                    .findFirst()
                                    .orElseThrow())
                            + 1;
            return runs.subList(from, Math.min(runs.size(), from + query.limit()));
        });
    }

    @Test
    void everyPageIsWalkedWithTheLastRunIdAsTheCursorUntilAnEmptyPage() throws IOException {
        List<String> seen = new ArrayList<>();
        RunPages.forEach(letta, RunQuery.endedBackground(null, null).withLimit(3), null, run -> seen.add(run.id()));

        assertEquals(runs.stream().map(Run::id).toList(), seen);
        List<String> lists =
                letta.requests().stream().filter(r -> r.startsWith("LIST")).toList();
        assertEquals(5, lists.size(), "pages of 3, 3, 3, 1 and 0: " + lists);
        assertTrue(lists.get(1).contains("after=run-7"), lists.get(1));
        assertTrue(lists.get(3).contains("after=run-1"), lists.get(3));
        assertTrue(lists.get(4).contains("after=run-0"), lists.get(4));
    }

    /** A server or a proxy that caps pages below the requested limit: a short page is not the last one. */
    @Test
    void aServerThatCapsItsPagesIsWalkedToTheEnd() throws IOException {
        letta.onList(query -> {
            int from =
                    query.after() == null ? 0 : Integer.parseInt(query.after().substring("run-".length()));
            from = query.after() == null ? 0 : runs.size() - from;
            return runs.subList(from, Math.min(runs.size(), from + Math.min(2, query.limit())));
        });
        List<String> seen = new ArrayList<>();
        RunPages.forEach(letta, RunQuery.endedBackground(null, null).withLimit(3), null, run -> seen.add(run.id()));

        assertEquals(runs.stream().map(Run::id).toList(), seen);
    }

    @Test
    void theWalkStopsAtThePageThatReachesRunsCreatedBeforeTheWindow() throws IOException {
        List<String> seen = new ArrayList<>();
        RunPages.forEach(
                letta, RunQuery.endedBackground(null, null).withLimit(3), T0.plusSeconds(5), run -> seen.add(run.id()));

        assertEquals(List.of("run-9", "run-8", "run-7", "run-6", "run-5"), seen);
        assertEquals(
                2, letta.requests().stream().filter(r -> r.startsWith("LIST")).count());
    }

    /** A server that ignores the cursor but had every run on a short first page: the walk is complete, no error. */
    @Test
    void aServerThatIgnoresTheCursorWithEveryRunOnAShortPageIsWalkedOnce() throws IOException {
        letta.onListIgnoringCursors(query -> runs.subList(0, 2));
        List<String> seen = new ArrayList<>();
        RunPages.forEach(letta, RunQuery.endedBackground(null, null).withLimit(3), null, run -> seen.add(run.id()));

        assertEquals(List.of("run-9", "run-8"), seen);
    }

    @Test
    void aServerThatIgnoresTheCursorIsAnErrorNotAnEndlessLoop() {
        letta.onListIgnoringCursors(query -> runs.subList(0, query.limit()));
        IOException error = assertThrows(
                IOException.class,
                () -> RunPages.forEach(
                        letta, RunQuery.endedBackground(null, null).withLimit(3), null, run -> {}));
        assertTrue(error.getMessage().contains("does not page"), error.getMessage());
    }
}
