package dev.lsr.recorder.internal.letta;

import java.util.List;

/**
 * Filters of {@code GET /v1/runs/}.
 *
 * @param agentId        only this agent's runs, or null
 * @param conversationId only this conversation's runs, or null
 * @param statuses       any of these statuses (empty: all)
 * @param background     only background (true) or foreground (false) runs, or null for both
 * @param limit          at most this many, newest first
 */
public record RunQuery(String agentId, String conversationId, List<String> statuses, Boolean background, int limit) {

    public RunQuery {
        statuses = List.copyOf(statuses);
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be within 1..1000: " + limit);
        }
    }

    /** Active ({@code created} or {@code running}) background runs, optionally of one agent or conversation. */
    public static RunQuery activeBackground(String agentId, String conversationId) {
        return new RunQuery(agentId, conversationId, List.of("created", "running"), true, 1000);
    }

    /** Ended ({@code completed}, {@code failed}, {@code cancelled}) background runs, newest first: a catch-up after downtime. */
    public static RunQuery endedBackground(String agentId, String conversationId) {
        return new RunQuery(agentId, conversationId, List.of("completed", "failed", "cancelled"), true, 1000);
    }

    /** The newest running run of a conversation or agent: the run-discovery query of a lost send. */
    public static RunQuery newestRunning(String agentId, String conversationId) {
        return new RunQuery(agentId, conversationId, List.of("running"), null, 1);
    }
}
