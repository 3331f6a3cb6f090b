package dev.lsr.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.bench.system.BenchSettings;
import dev.lsr.bench.system.CountCheck;
import dev.lsr.bench.system.Machine;
import dev.lsr.bench.system.MarkdownReport;
import dev.lsr.bench.system.Scenario;
import dev.lsr.bench.system.ScenarioReport;
import dev.lsr.bench.system.SystemBench;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Keeps the whole-system harness from rotting: every scenario runs in smoke mode (tiny sizes, one pair)
 * against a real embedded broker, letta-sim and the recorder/consumer (a child JVM for recovery and
 * concurrency), and must complete with every count it verifies matching. Timings are never asserted.
 */
class BenchSmokeIT {

    /** The scenarios that measure the naive (at-least-once) recorder of issue 14 beside ours. */
    private static final Set<Scenario> NAIVE_BASELINE = Set.of(Scenario.INGEST, Scenario.LATENCY, Scenario.CONCURRENCY);

    @Test
    void everyScenarioCompletesInSmokeModeWithMatchingCounts() {
        List<ScenarioReport> reports = SystemBench.run(List.of(Scenario.values()), BenchSettings.smokeMode());

        assertEquals(
                Arrays.asList(Scenario.values()),
                reports.stream().map(ScenarioReport::scenario).toList());
        for (ScenarioReport report : reports) {
            assertFalse(report.rows().isEmpty(), report.scenario() + " measured nothing");
            assertFalse(report.checks().isEmpty(), report.scenario() + " verified no count");
            for (CountCheck check : report.checks()) {
                assertTrue(check.passed(), report.scenario() + ": " + check);
            }
            if (report.scenario() == Scenario.RECOVERY && Runtime.version().feature() >= 25) {
                assertTrue(
                        report.rows().stream().anyMatch(row -> row.metric().contains("startup cache")),
                        "recovery measured nothing on the startup cache: " + report.notes());
            }
            if (NAIVE_BASELINE.contains(report.scenario())) {
                assertTrue(
                        report.checks().stream().anyMatch(check -> check.what().startsWith("naive recorder")),
                        report.scenario() + " counted no naive-recorder records");
            }
        }
        String markdown = MarkdownReport.render(reports, BenchSettings.smokeMode(), Machine.describe());
        for (Scenario scenario : Scenario.values()) {
            assertTrue(markdown.contains("| " + scenario.cliName() + " |"), "table row for " + scenario.cliName());
        }
    }
}
