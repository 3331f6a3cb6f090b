package dev.lsr.viewer.model;

import java.util.List;

/**
 * One page of the runs page: the rows, newest first, and where it stands.
 *
 * @param matching how many runs match the query in all
 * @param pages    how many pages they fill (at least 1)
 * @param agents   the agents of all runs in the log, for the filter's choices
 * @param statuses the statuses seen, for the filter's choices
 */
public record RunsPage(
        RunQuery query,
        List<RunRow> rows,
        int matching,
        int pages,
        int runsInLog,
        List<String> agents,
        List<String> statuses,
        List<String> stopReasons) {

    public RunsPage {
        rows = List.copyOf(rows);
        agents = List.copyOf(agents);
        statuses = List.copyOf(statuses);
        stopReasons = List.copyOf(stopReasons);
    }
}
