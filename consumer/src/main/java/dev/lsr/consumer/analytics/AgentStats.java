package dev.lsr.consumer.analytics;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lsr.consumer.projection.summary.RunSummary;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Aggregates of run summaries per agent: percentiles (nearest rank) of time to first content and
 * duration over the runs that have them, error rate, token sums and tool-call counts. A run is an
 * error when its status is {@code failed} or it carries an error type.
 *
 * @param agentId              the agent, or {@value #ALL} for the row over every run
 * @param runs                 runs summarised
 * @param errors               runs that ended in error
 * @param errorRate            errors / runs
 * @param timeToFirstContentMs p50, p95, p99 in ms (null when no run has content)
 * @param durationMs           p50, p95, p99 in ms (null when no run finished)
 * @param inputTokens          summed
 * @param outputTokens         summed
 * @param totalTokens          summed
 * @param toolCalls            summed
 * @param toolCallsByName      summed per tool name
 */
public record AgentStats(
        @JsonProperty("agent_id") String agentId,
        @JsonProperty("runs") long runs,
        @JsonProperty("errors") long errors,
        @JsonProperty("error_rate") double errorRate,
        @JsonProperty("time_to_first_content_ms") Percentiles timeToFirstContentMs,
        @JsonProperty("duration_ms") Percentiles durationMs,
        @JsonProperty("input_tokens") long inputTokens,
        @JsonProperty("output_tokens") long outputTokens,
        @JsonProperty("total_tokens") long totalTokens,
        @JsonProperty("tool_calls") long toolCalls,
        @JsonProperty("tool_calls_by_name") Map<String, Long> toolCallsByName) {

    /** The agent id of the row over all runs. */
    public static final String ALL = "*";
    /** The agent shown for runs whose agent is unknown. */
    public static final String UNKNOWN_AGENT = "(unknown)";

    /** Nearest-rank percentiles of a set of values. */
    public record Percentiles(
            @JsonProperty("p50") long p50,
            @JsonProperty("p95") long p95,
            @JsonProperty("p99") long p99) {

        /** Null for no values. */
        public static Percentiles of(List<Long> values) {
            if (values.isEmpty()) {
                return null;
            }
            List<Long> sorted = values.stream().sorted().toList();
            return new Percentiles(rank(sorted, 50), rank(sorted, 95), rank(sorted, 99));
        }

        private static long rank(List<Long> sorted, int percentile) {
            int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, index));
        }
    }

    /** One row per agent (by agent id), then the {@value #ALL} row. */
    public static List<AgentStats> of(Collection<RunSummary> summaries) {
        Map<String, List<RunSummary>> byAgent = new TreeMap<>();
        for (RunSummary summary : summaries) {
            String agent = summary.agentId() == null ? UNKNOWN_AGENT : summary.agentId();
            byAgent.computeIfAbsent(agent, a -> new ArrayList<>()).add(summary);
        }
        List<AgentStats> rows = new ArrayList<>();
        byAgent.forEach((agent, runs) -> rows.add(over(agent, runs)));
        rows.add(over(ALL, List.copyOf(summaries)));
        return rows;
    }

    static AgentStats over(String agent, List<RunSummary> runs) {
        long errors = runs.stream().filter(AgentStats::isError).count();
        Map<String, Long> tools = new TreeMap<>();
        runs.forEach(r -> r.toolCallsByName().forEach((name, n) -> tools.merge(name, n, Long::sum)));
        return new AgentStats(
                agent,
                runs.size(),
                errors,
                runs.isEmpty() ? 0 : (double) errors / runs.size(),
                Percentiles.of(present(runs, RunSummary::timeToFirstContentMs)),
                Percentiles.of(present(runs, RunSummary::durationMs)),
                runs.stream().mapToLong(RunSummary::inputTokens).sum(),
                runs.stream().mapToLong(RunSummary::outputTokens).sum(),
                runs.stream().mapToLong(RunSummary::totalTokens).sum(),
                runs.stream().mapToLong(RunSummary::toolCallCount).sum(),
                tools);
    }

    static boolean isError(RunSummary summary) {
        return "failed".equals(summary.status()) || summary.errorType() != null;
    }

    private static List<Long> present(List<RunSummary> runs, Function<RunSummary, Long> field) {
        return runs.stream().map(field).filter(v -> v != null).toList();
    }
}
