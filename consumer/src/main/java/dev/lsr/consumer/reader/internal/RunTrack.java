package dev.lsr.consumer.reader.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.LifecycleEvent.RunAttached;
import dev.lsr.consumer.reader.RunFilter;
import dev.lsr.consumer.reader.RunRecord;
import java.util.ArrayList;
import java.util.List;

/** What a replay keeps per run: the filter decision, events held back until then, the sequencer. */
final class RunTrack {

    enum Decision { UNDECIDED, INCLUDED, EXCLUDED }

    final RunSequencer sequencer;
    Decision decision = Decision.UNDECIDED;
    List<Decoded> heldBack = new ArrayList<>();
    boolean startSeen;
    boolean ended;
    boolean delivered;
    private String agentId;
    private String conversationId;

    RunTrack(String runId) {
        this.sequencer = new RunSequencer(runId);
    }

    /** Learns the run's start and identity from a readable record and decides if it can. */
    void learn(RunRecord record, RunFilter filter) {
        if (!startSeen) {
            startSeen = true;
            if (!filter.admitsStart(record.receivedAt())) {
                decision = Decision.EXCLUDED;
                return;
            }
        }
        agentId = firstNonNull(agentId, record.record().envelope().agentId());
        conversationId = firstNonNull(conversationId, record.record().envelope().conversationId());
        if (record.lifecycle() instanceof RunAttached attached && attached.run() != null) {
            agentId = firstNonNull(agentId, text(attached.run(), "agent_id"));
            conversationId = firstNonNull(conversationId, text(attached.run(), "conversation_id"));
        }
        decideIdentity(filter);
    }

    private void decideIdentity(RunFilter filter) {
        boolean agentKnown = filter.agentId() == null || agentId != null;
        boolean conversationKnown = filter.conversationId() == null || conversationId != null;
        if (agentKnown && conversationKnown) {
            decision = filter.admitsIdentity(agentId, conversationId) ? Decision.INCLUDED : Decision.EXCLUDED;
        } else if ((filter.agentId() != null && agentId != null && !filter.agentId().equals(agentId))
                || (filter.conversationId() != null && conversationId != null
                    && !filter.conversationId().equals(conversationId))) {
            decision = Decision.EXCLUDED;
        }
    }

    private static String firstNonNull(String known, String candidate) {
        return known != null ? known : candidate;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }
}
