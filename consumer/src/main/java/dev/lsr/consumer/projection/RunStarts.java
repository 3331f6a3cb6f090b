package dev.lsr.consumer.projection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.LettaTimes;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.reader.ReplayListener;
import dev.lsr.consumer.reader.RunRecord;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * When each run started, which puts a conversation's runs in their order: Letta's {@code created_at} of the run (its
 * {@code run.attached} record carries the Run object) when every run has one, else when each was first read. Not the read time alone:
 * the recorder attaches a conversation's runs out of their order when it finds them together (after a downtime its
 * catch-up pages newest first; a run stopped for an approval is found after its continuation started).
 */
public final class RunStarts implements ReplayListener {

    private final Map<String, Instant> created = new HashMap<>();
    private final Map<String, Instant> firstRead = new HashMap<>();

    @Override
    public void onEvent(ReplayEvent event) {
        RunRecord record = event.delivered();
        if (record == null) {
            return;
        }
        firstRead.putIfAbsent(record.runId(), record.receivedAt());
        if (record.lifecycle() instanceof LifecycleEvent.RunAttached attached && attached.run() != null) {
            JsonNode createdAtText = attached.run().get("created_at");
            Instant createdAt = createdAtText == null || !createdAtText.isTextual()
                    ? null
                    : LettaTimes.parse(createdAtText.asText());
            if (createdAt != null) {
                created.putIfAbsent(record.runId(), createdAt);
            }
        }
    }

    /**
     * The runs {@code runIds} by start, then by id: by Letta's {@code created_at} when every one of them has it, else
     * by when each was first read (one clock for all: Letta's and this recorder's may differ by more than the
     * seconds between a run and its continuation).
     */
    public Comparator<String> order(Collection<String> runIds) {
        Map<String, Instant> starts = runIds.stream().allMatch(created::containsKey) ? created : firstRead;
        return Comparator.comparing(
                        (String runId) -> starts.get(runId), Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Comparator.naturalOrder());
    }
}
