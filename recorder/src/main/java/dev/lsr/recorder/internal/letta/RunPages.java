package dev.lsr.recorder.internal.letta;

import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Walks {@code GET /v1/runs/} page by page, newest first, so no run is missed however many there are:
 * the server gives at most {@link RunQuery#MAX_LIMIT} runs per call. Each next page asks for the runs
 * after the previous page's last run id ({@code after}); the server looks that cursor row up by id
 * whatever the filters (so a run that changed status in between still anchors the page) and orders by
 * {@code (created_at, id)}. The walk ends at an empty page (not at a short one: a server or a proxy may
 * cap pages below the limit asked for), or once the runs were created before {@code notBefore} (older ones
 * are not wanted).
 */
public final class RunPages {

    private RunPages() {}

    /**
     * Hands every run of the query created at or after {@code notBefore} (all of them when null) to
     * {@code each}, newest first. A failing page throws; the runs of the pages before it were handed on.
     *
     * @throws IOException also when the server answers a cursor with runs already seen (it ignores cursors)
     */
    public static void forEach(LettaApi api, RunQuery query, Instant notBefore, Consumer<Run> each) throws IOException {
        Set<String> seen = new HashSet<>();
        RunQuery page = query;
        boolean lastPageShort = false;
        while (true) {
            List<Run> runs = api.listRuns(page);
            boolean older = false;
            for (Run run : runs) {
                if (!seen.add(run.id())) {
                    if (lastPageShort) {
                        // a server that ignores cursors, with every run on its short first page: all of them seen
                        return;
                    }
                    throw new IOException("GET /v1/runs/ answered the cursor after=" + page.after() + " with run "
                            + run.id() + " again: the server does not page");
                }
                if (notBefore != null
                        && run.createdAt() != null
                        && run.createdAt().isBefore(notBefore)) {
                    older = true;
                    continue;
                }
                each.accept(run);
            }
            // a short page is not the last one: a server or a proxy may cap pages below the limit asked for
            if (runs.isEmpty() || older) {
                return;
            }
            lastPageShort = runs.size() < page.limit();
            page = page.after(runs.getLast().id());
        }
    }
}
