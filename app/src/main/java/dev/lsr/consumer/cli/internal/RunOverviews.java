package dev.lsr.consumer.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.LifecycleEvent.RunAttached;
import dev.lsr.chunklog.RecordType;
import dev.lsr.consumer.projection.RunStatus;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.reader.ReplayListener;
import dev.lsr.consumer.reader.RunRecord;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds a replay into one line per run for {@code consumer runs}: keeps only small per-run facts. A run's status
 * is {@link RunStatus}'s, as in its summary and transcript: a run without an end in the log is {@code running}
 * (the reader reports it as truncated on stderr).
 */
public final class RunOverviews implements ReplayListener {

    /** One run as the {@code runs} table shows it. */
    public record RunOverview(
            String runId,
            String agentId,
            String conversationId,
            Instant start,
            Duration duration,
            long chunks,
            String status,
            String stopReason) {}

    private static final class Acc {
        String agentId;
        String conversationId;
        Instant start;
        Instant last;
        long chunks;
        String stopReason;
        RecordType terminal;
        String finishedStatus;
        String finishedStopReason;
    }

    private final Map<String, Acc> runs = new LinkedHashMap<>();

    @Override
    public void onEvent(ReplayEvent event) {
        if (event.delivered() != null) {
            onRecord(event.delivered());
        }
    }

    private void onRecord(RunRecord record) {
        Acc acc = runs.computeIfAbsent(record.runId(), id -> new Acc());
        acc.start = acc.start == null ? record.receivedAt() : acc.start;
        acc.last = record.receivedAt();
        var envelope = record.record().envelope();
        acc.agentId = acc.agentId != null ? acc.agentId : envelope.agentId();
        acc.conversationId = acc.conversationId != null ? acc.conversationId : envelope.conversationId();
        if (record.isChunk()) {
            acc.chunks++;
            if ("stop_reason".equals(record.messageType())) {
                acc.stopReason = field(record, "stop_reason");
            }
            return;
        }
        LifecycleEvent event = record.lifecycle();
        if (event instanceof RunAttached attached && attached.run() != null) {
            acc.agentId = acc.agentId != null ? acc.agentId : text(attached.run(), "agent_id");
            acc.conversationId =
                    acc.conversationId != null ? acc.conversationId : text(attached.run(), "conversation_id");
        }
        if (record.type().isTerminal()) {
            acc.terminal = record.type();
            if (event instanceof LifecycleEvent.RunFinished finished) {
                acc.finishedStatus = finished.status();
                acc.finishedStopReason = finished.stopReason();
            }
        }
    }

    /** The runs seen, by start time. */
    public List<RunOverview> overviews() {
        return runs.entrySet().stream()
                .filter(e -> e.getValue().start != null)
                .map(e -> {
                    Acc a = e.getValue();
                    String stop = a.stopReason != null ? a.stopReason : a.finishedStopReason;
                    return new RunOverview(
                            e.getKey(),
                            a.agentId,
                            a.conversationId,
                            a.start,
                            Duration.between(a.start, a.last),
                            a.chunks,
                            RunStatus.of(a.terminal, a.finishedStatus, stop),
                            stop);
                })
                .sorted(Comparator.comparing(RunOverview::start).thenComparing(RunOverview::runId))
                .toList();
    }

    private static String field(RunRecord record, String name) {
        try {
            return text(Json.MAPPER.readTree(record.record().value()), name);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
