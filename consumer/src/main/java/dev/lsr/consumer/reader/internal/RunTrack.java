package dev.lsr.consumer.reader.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.LifecycleEvent.RunAttached;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RunSequencer;
import dev.lsr.consumer.reader.LogLocation;
import dev.lsr.consumer.reader.ReadProblem;
import dev.lsr.consumer.reader.RunEnd;
import dev.lsr.consumer.reader.RunFilter;
import dev.lsr.consumer.reader.RunRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * What a replay keeps per run: the filter decision, events held back until then, chunk-log's
 * {@link RunSequencer} and where its last accepted record was read.
 */
final class RunTrack {

    enum Decision {
        UNDECIDED,
        INCLUDED,
        EXCLUDED
    }

    private final String runId;
    private final RunSequencer sequencer;
    private LogLocation lastLocation;
    Decision decision = Decision.UNDECIDED;
    List<Decoded> heldBack = new ArrayList<>();
    boolean startSeen;
    boolean ended;
    boolean delivered;
    private String agentId;
    private String conversationId;

    /** @param joinedMidway whether the reader started at the log's end, so it may see the run from its middle */
    RunTrack(String runId, boolean joinedMidway) {
        this.runId = runId;
        this.sequencer = joinedMidway ? RunSequencer.joiningMidway() : new RunSequencer();
    }

    /** Sequences a readable record; a delivered record becomes the run's last location. */
    RunSequencer.Verdict sequence(RunRecord record) {
        RunSequencer.Verdict verdict = record.isChunk()
                ? sequencer.acceptChunk(
                        record.position(),
                        record.messageType(),
                        record.record().envelope().sseEvent())
                : sequencer.acceptRecord(
                        record.record().envelope().id(), record.type(), record.lifecycle(), record.position());
        if (verdict == RunSequencer.Verdict.DELIVER) {
            lastLocation = record.location();
        }
        return verdict;
    }

    /** A skipped chunk takes its place in the run's order. */
    void skip(Position position, LogLocation location) {
        sequencer.skip(position);
        lastLocation = location;
    }

    /** The gap found by the last {@link #sequence}, as a problem at {@code location}, or null. */
    ReadProblem gap(LogLocation location) {
        String gap = sequencer.gap();
        return gap == null ? null : new ReadProblem(ReadProblem.Kind.GAP, runId, location, gap);
    }

    boolean endedByRecorder() {
        return sequencer.endedByRecorder();
    }

    /** How the run's log ends, given everything sequenced so far. */
    RunEnd end() {
        if (sequencer.terminalRecord() != null) {
            return new RunEnd(runId, RunEnd.Outcome.ENDED, sequencer.terminalRecord());
        }
        return new RunEnd(
                runId, sequencer.endedInContent() ? RunEnd.Outcome.ENDED_IN_CONTENT : RunEnd.Outcome.TRUNCATED, null);
    }

    /** Where the last accepted record was read, or null. */
    LogLocation lastLocation() {
        return lastLocation;
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
        } else if ((filter.agentId() != null
                        && agentId != null
                        && !filter.agentId().equals(agentId))
                || (filter.conversationId() != null
                        && conversationId != null
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
