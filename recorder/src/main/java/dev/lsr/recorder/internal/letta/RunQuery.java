package dev.lsr.recorder.internal.letta;

import java.util.List;

/**
 * Filters and page of {@code GET /v1/runs/} (newest first).
 *
 * @param agentId        only this agent's runs, or null
 * @param conversationId only this conversation's runs, or null
 * @param statuses       any of these statuses (empty: all)
 * @param background     only background (true) or foreground (false) runs, or null for both
 * @param limit          at most this many per page (the server accepts 1..1000)
 * @param after          the page after this run id (the last run of the previous page), or null for the first
 */
public record RunQuery(
        String agentId, String conversationId, List<String> statuses, Boolean background, int limit, String after) {

    /** The largest page the server gives. */
    public static final int MAX_LIMIT = 1000;

    public RunQuery {
        statuses = List.copyOf(statuses);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be within 1.." + MAX_LIMIT + ": " + limit);
        }
    }

    /** Active ({@code created} or {@code running}) background runs, optionally of one agent or conversation. */
    public static RunQuery activeBackground(String agentId, String conversationId) {
        return new RunQuery(agentId, conversationId, List.of("created", "running"), true, MAX_LIMIT, null);
    }

    /** Ended ({@code completed}, {@code failed}, {@code cancelled}) background runs, newest first: a catch-up after downtime. */
    public static RunQuery endedBackground(String agentId, String conversationId) {
        return new RunQuery(
                agentId, conversationId, List.of("completed", "failed", "cancelled"), true, MAX_LIMIT, null);
    }

    /** The newest running run of a conversation or agent: the run-discovery query of a lost send. */
    public static RunQuery newestRunning(String agentId, String conversationId) {
        return new RunQuery(agentId, conversationId, List.of("running"), null, 1, null);
    }

    /** The same filters with pages of {@code size}. */
    public RunQuery withLimit(int size) {
        return new RunQuery(agentId, conversationId, statuses, background, size, after);
    }

    /** The next page: the runs after {@code runId} in the listing's order. */
    public RunQuery after(String runId) {
        return new RunQuery(agentId, conversationId, statuses, background, limit, runId);
    }
}
