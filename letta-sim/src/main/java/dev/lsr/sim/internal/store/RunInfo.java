package dev.lsr.sim.internal.store;

import java.time.Instant;

/**
 * The fixed facts about a run.
 *
 * @param id {@code run-<uuid>}
 * @param agentId {@code agent-<uuid>}
 * @param conversationId the conversation, or null for agent-direct runs
 * @param background whether the run was created in background mode (stored, resumable)
 * @param createdAt creation time (retention is measured from it)
 * @param runType {@code metadata.run_type}
 * @param lockKey the conversation/agent lock it holds while active, or null
 * @param ordinal creation order, breaks ties between equal creation times
 */
public record RunInfo(
        String id,
        String agentId,
        String conversationId,
        boolean background,
        Instant createdAt,
        String runType,
        String lockKey,
        long ordinal) {}
