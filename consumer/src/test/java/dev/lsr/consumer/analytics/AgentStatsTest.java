package dev.lsr.consumer.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lsr.consumer.projection.summary.RunSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentStatsTest {

    private static RunSummary run(
            String agent, String status, Long ttfc, Long duration, long tokens, Map<String, Long> tools) {
        return new RunSummary(
                "run-" + Math.random(),
                agent,
                null,
                status,
                null,
                null,
                null,
                null,
                null,
                null,
                ttfc,
                duration,
                1,
                1,
                null,
                null,
                null,
                1,
                tools.values().stream().mapToLong(Long::longValue).sum(),
                tools,
                0,
                tokens,
                tokens * 2,
                tokens * 3,
                null,
                null,
                null,
                0,
                0,
                0,
                0,
                0,
                0,
                0);
    }

    @Test
    void nearestRankPercentiles() {
        List<Long> values = new ArrayList<>();
        for (long i = 1; i <= 100; i++) {
            values.add(i);
        }
        assertEquals(new AgentStats.Percentiles(50, 95, 99), AgentStats.Percentiles.of(values));
        assertEquals(new AgentStats.Percentiles(7, 7, 7), AgentStats.Percentiles.of(List.of(7L)));
        assertEquals(new AgentStats.Percentiles(2, 3, 3), AgentStats.Percentiles.of(List.of(3L, 1L, 2L)));
        assertNull(AgentStats.Percentiles.of(List.of()));
    }

    @Test
    void aggregatesPerAgentAndOverAll() {
        List<AgentStats> rows = AgentStats.of(List.of(
                run("b", "completed", 100L, 1000L, 10, Map.of("web_search", 2L)),
                run("a", "failed", 200L, null, 5, Map.of()),
                run("b", "completed", 300L, 3000L, 1, Map.of("web_search", 1L, "Bash", 1L)),
                run(null, "running", null, null, 0, Map.of())));

        assertEquals(
                List.of("(unknown)", "a", "b", "*"),
                rows.stream().map(AgentStats::agentId).toList());
        AgentStats b = rows.get(2);
        assertEquals(2, b.runs());
        assertEquals(0, b.errors());
        assertEquals(new AgentStats.Percentiles(100, 300, 300), b.timeToFirstContentMs());
        assertEquals(new AgentStats.Percentiles(1000, 3000, 3000), b.durationMs());
        assertEquals(11, b.inputTokens());
        assertEquals(33, b.totalTokens());
        assertEquals(4, b.toolCalls());
        assertEquals(Map.of("web_search", 3L, "Bash", 1L), b.toolCallsByName());
        AgentStats all = rows.get(3);
        assertEquals(4, all.runs());
        assertEquals(0.25, all.errorRate());
        assertNull(rows.getFirst().timeToFirstContentMs());
    }
}
