package dev.lsr.bench.system;

import java.util.List;

/**
 * What one scenario measured and verified.
 *
 * @param scenario the scenario
 * @param rows     the table rows
 * @param checks   the counts verified after measuring
 * @param notes    one-line remarks for the reader (setup sizes, what the baseline is)
 */
public record ScenarioReport(Scenario scenario, List<ResultRow> rows, List<CountCheck> checks, List<String> notes) {

    public ScenarioReport {
        rows = List.copyOf(rows);
        checks = List.copyOf(checks);
        notes = List.copyOf(notes);
    }

    /** True when every count check passed. */
    public boolean countsMatch() {
        return checks.stream().allMatch(CountCheck::passed);
    }
}
