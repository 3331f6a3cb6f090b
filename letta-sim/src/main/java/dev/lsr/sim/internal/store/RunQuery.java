package dev.lsr.sim.internal.store;

import java.util.Set;

/**
 * The filters of {@code GET /v1/runs/} (protocol §3.7), parsed once.
 *
 * @param agentIds runs of any of these agents (empty = any)
 * @param conversationId runs of this conversation, or null
 * @param statuses runs in any of these statuses (empty = any)
 * @param background only background (true) / foreground (false) runs, or null for both
 * @param stopReason only runs with this stop reason, or null
 * @param ascending oldest first when true (default: newest first)
 * @param limit at most this many runs
 * @param after return runs after this run id in the chosen order, or null
 * @param before return runs before this run id in the chosen order, or null
 */
public record RunQuery(
        Set<String> agentIds,
        String conversationId,
        Set<RunStatus> statuses,
        Boolean background,
        String stopReason,
        boolean ascending,
        int limit,
        String after,
        String before) {

    /** Whether a run passes the filters (not the paging). */
    public boolean matches(Run run) {
        RunInfo info = run.info();
        Run.RunState state = run.state();
        return (agentIds.isEmpty() || agentIds.contains(info.agentId()))
                && (conversationId == null || conversationId.equals(info.conversationId()))
                && (statuses.isEmpty() || statuses.contains(state.status()))
                && (background == null || background == info.background())
                && (stopReason == null || stopReason.equals(state.stopReason()));
    }
}
