package dev.lsr.sim.internal.gen;

import dev.lsr.sim.internal.gen.ChunkJson.Envelope;
import dev.lsr.sim.internal.gen.ChunkJson.ToolCall;
import dev.lsr.sim.internal.producer.ScriptEntry;
import dev.lsr.sim.internal.store.FrameKind;
import dev.lsr.sim.internal.store.FrameSpec;
import dev.lsr.sim.internal.store.Frames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes a run's script frame by frame with Letta's identity rules (§4.2): one message id per step
 * shared by all its deltas, the otid index advancing on every message_type change, approvals as the
 * step id minus one, tool returns with their own id. Keeps the simulated clock for chunk dates.
 */
final class ScriptBuilder {

    private static final Duration MIN_DATE_STEP = Duration.ofMillis(40);

    private final List<ScriptEntry> entries = new ArrayList<>();
    private final ChunkJson json;
    private final SeededIds ids;
    private final Duration dateStep;
    private Instant now;
    private Step step;
    private int steps;
    private int contentChunks;

    ScriptBuilder(RunPlan plan, SeededIds ids) {
        this.json = new ChunkJson(plan.runId());
        this.ids = ids;
        this.now = plan.createdAt();
        this.dateStep = plan.frameInterval().compareTo(MIN_DATE_STEP) < 0 ? MIN_DATE_STEP : plan.frameInterval();
    }

    ChunkJson json() {
        return json;
    }

    SeededIds ids() {
        return ids;
    }

    int steps() {
        return steps;
    }

    int contentChunks() {
        return contentChunks;
    }

    /** Starts a new LLM step: new step id, new message id, otid index back to 0. */
    void newStep() {
        step = new Step(ids.prefixed("step"), ids.uuid());
        steps++;
    }

    String stepId() {
        return step.stepId;
    }

    /** The envelope of the next chunk of the current step with this message type. */
    Envelope envelope(String messageType) {
        step.advance(messageType);
        return new Envelope(
                "message-" + step.message, now, null, SeededIds.otid(step.message, step.index), step.stepId);
    }

    /** The envelope of an approval chunk: id = otid = step message id − 1; still advances the index. */
    Envelope approvalEnvelope() {
        step.advance("approval_request_message");
        String id = "message-" + SeededIds.minusOne(step.message);
        return new Envelope(id, now, null, id, step.stepId);
    }

    /** The envelope of a message with its own fresh id (tool returns, summaries): otid index 0. */
    Envelope ownEnvelope(String name) {
        UUID own = ids.uuid();
        return new Envelope("message-" + own, now, name, SeededIds.otid(own, 0), step == null ? null : step.stepId);
    }

    /** The envelope of an event_message: bare uuid id, null otid. */
    Envelope eventEnvelope() {
        return new Envelope(ids.uuid().toString(), now, null, null, step == null ? null : step.stepId);
    }

    void content(String chunkJson) {
        contentChunks++;
        frame(chunkJson, FrameKind.MESSAGE);
    }

    void ping() {
        frame(json.ping(ids.prefixed("ping"), now), FrameKind.PING);
    }

    /** A Letta Cloud {@code retry_message}: the provider failed and is tried again (protocol §3.8). */
    void providerRetry(int attempt, int maxAttempts, String provider) {
        frame(json.retry(ids.prefixed("message"), now, attempt, maxAttempts, provider), FrameKind.MESSAGE);
    }

    void message(String chunkJson) {
        frame(chunkJson, FrameKind.MESSAGE);
    }

    void stopReason(String reason) {
        entries.add(new ScriptEntry.Frame(
                new FrameSpec(Frames.data(ChunkJson.stopReason(reason)), FrameKind.STOP_REASON, reason, null, false)));
    }

    void usage(ChunkJson.Usage usage) {
        entries.add(new ScriptEntry.Frame(
                new FrameSpec(Frames.data(ChunkJson.usage(usage)), FrameKind.USAGE, null, null, false)));
    }

    void error(String errorJson, boolean isFinal) {
        entries.add(new ScriptEntry.Frame(
                new FrameSpec(Frames.error(errorJson), FrameKind.ERROR, null, errorJson, isFinal)));
    }

    void done() {
        entries.add(new ScriptEntry.Frame(Frames.done()));
    }

    void pause(int ticks) {
        entries.add(new ScriptEntry.Pause(ticks));
        now = now.plus(dateStep.multipliedBy(ticks));
    }

    void cancelHere() {
        entries.add(new ScriptEntry.CancelHere());
    }

    /** Streams the argument fragments of tool calls (token mode), Anthropic or OpenAI style. */
    void toolCallDeltas(ToolCall call, boolean approval, boolean anthropic, List<String> fragments) {
        Envelope first = approval ? approvalEnvelope() : envelope("tool_call_message");
        content(json.toolCallDelta(first, approval, call.name(), null, call.id()));
        for (String fragment : fragments) {
            Envelope next = approval ? approvalEnvelope() : envelope("tool_call_message");
            String name = anthropic ? call.name() : null;
            content(json.toolCallDelta(next, approval, name, fragment, call.id()));
        }
    }

    List<ScriptEntry> build() {
        return List.copyOf(entries);
    }

    private void frame(String chunkJson, FrameKind kind) {
        entries.add(new ScriptEntry.Frame(new FrameSpec(Frames.data(chunkJson), kind, null, null, false)));
        now = now.plus(dateStep);
    }

    private static final class Step {
        private final String stepId;
        private final UUID message;
        private String lastType;
        private int index = -1;

        Step(String stepId, UUID message) {
            this.stepId = stepId;
            this.message = message;
        }

        void advance(String messageType) {
            if (!messageType.equals(lastType)) {
                index++;
                lastType = messageType;
            }
        }
    }
}
