package dev.lsr.sim.internal;

import java.time.Clock;
import java.time.Duration;

/**
 * The simulator's settings, parsed once from the builder or the command line.
 *
 * @param host address to bind
 * @param port port to bind (0 = ephemeral)
 * @param apiKey bearer token required on every request, or null for none
 * @param pace time between stored frames of a recorded or generated run
 * @param keepaliveInterval silence on a connection after which a ping is sent
 * @param retention age after which a run can no longer be resumed (410)
 * @param clock time source for dates, creation times and retention
 * @param userAgentGate whether {@code POST /v1/agents/{id}/messages} with {@code streaming:true}
 *     rejects non-SDK user agents with 422, as Letta does
 * @param recordedAgentId the agent id recorded runs are listed under
 * @param maxStreamEntries stored frames a run's stream keeps for readers, oldest dropped first (Letta:
 *     about 10,000); 0 keeps all
 */
public record SimConfig(
        String host,
        int port,
        String apiKey,
        Duration pace,
        Duration keepaliveInterval,
        Duration retention,
        Clock clock,
        boolean userAgentGate,
        String recordedAgentId,
        int maxStreamEntries) {}
