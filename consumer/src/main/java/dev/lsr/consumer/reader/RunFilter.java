package dev.lsr.consumer.reader;

import java.time.Instant;
import java.util.Set;

/**
 * Which runs a replay hands on. Every set criterion must match; null means "any".
 *
 * <p>Agent and conversation come from the records' envelopes (or the run object of an attached
 * record): records of a run are held back until one of them says, and a run that never says does
 * not match an agent or conversation filter. Time is the run's start: the receive time of its
 * first record in the log, in {@code [since, until)}.
 *
 * @param runIds         the runs, or null for all
 * @param agentId        the agent, or null
 * @param conversationId the conversation, or null
 * @param since          earliest start (inclusive), or null
 * @param until          latest start (exclusive), or null
 */
public record RunFilter(Set<String> runIds, String agentId, String conversationId, Instant since, Instant until) {

    public RunFilter {
        runIds = runIds == null ? null : Set.copyOf(runIds);
    }

    public static RunFilter all() {
        return new RunFilter(null, null, null, null, null);
    }

    public static RunFilter runs(Set<String> runIds) {
        return new RunFilter(runIds, null, null, null, null);
    }

    public static RunFilter run(String runId) {
        return runs(Set.of(runId));
    }

    public RunFilter withAgent(String agent) {
        return new RunFilter(runIds, agent, conversationId, since, until);
    }

    public RunFilter withConversation(String conversation) {
        return new RunFilter(runIds, agentId, conversation, since, until);
    }

    public RunFilter withStartBetween(Instant from, Instant to) {
        return new RunFilter(runIds, agentId, conversationId, from, to);
    }

    /** True when a run of that id may pass (the other criteria are decided per run later). */
    public boolean admitsRunId(String runId) {
        return runIds == null || runIds.contains(runId);
    }

    /** True when the start time matches. */
    public boolean admitsStart(Instant start) {
        return (since == null || !start.isBefore(since)) && (until == null || start.isBefore(until));
    }

    /** True when an agent or conversation criterion needs the run's ids before it can decide. */
    public boolean needsRunIdentity() {
        return agentId != null || conversationId != null;
    }

    /** Decides the agent and conversation criteria once both ids are as known as they will be. */
    public boolean admitsIdentity(String agent, String conversation) {
        return (agentId == null || agentId.equals(agent))
                && (conversationId == null || conversationId.equals(conversation));
    }
}
