package dev.lsr.consumer.projection.lettacode;

import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.RunStarts;
import dev.lsr.consumer.projection.internal.LogOrder;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.reader.ReplayListener;
import dev.lsr.consumer.reader.RunRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Letta Code fold over the reader's events: groups what the reader delivers into drains and
 * rebuilds one session's buffers from them. The log holds each position once, so a run's delivered
 * chunks, as read from one source, are one uninterrupted drain (which, as the resume property shows,
 * is what a client with resumes builds too); chunk files read in order are one drain per file and
 * run (what a file repeats the reader dropped, and a file that adds nothing is no drain). Repeats
 * (the reader's verdict), problems, gaps and ends carry nothing a client would have seen.
 */
public final class LettaCodeDrains implements ReplayListener {

    private record Key(String source, String runId) {}

    /** One run's chunks from one source, and whether the recorder ended the run. */
    private static final class Drain {
        private final String runId;
        private final List<Chunk> chunks = new ArrayList<>();
        private boolean terminated;

        private Drain(String runId) {
            this.runId = runId;
        }
    }

    private final Map<Key, Drain> drains = new LinkedHashMap<>();
    private final RunStarts starts = new RunStarts();

    @Override
    public void onEvent(ReplayEvent event) {
        starts.onEvent(event);
        RunRecord record = event.delivered();
        if (record == null) {
            return;
        }
        Drain drain = drains.computeIfAbsent(
                new Key(record.location().source(), record.runId()), key -> new Drain(key.runId()));
        if (record.isChunk()) {
            Chunk chunk = LogOrder.chunkOrNull(record);
            if (chunk != null) { // else counted by the transcript and summary; nothing a client showed
                drain.chunks.add(chunk);
            }
        } else if (record.type().isTerminal()) {
            drain.terminated = true;
        }
    }

    /** True when nothing was delivered. */
    public boolean isEmpty() {
        return drains.isEmpty();
    }

    /** One session's buffers, the drains in the order they were first read (chunk files, one run). */
    public LettaCodeBuffers buffers(Options options) {
        return session(List.copyOf(drains.values()), options);
    }

    /** One session's buffers, the drains by their run's start ({@link RunStarts}), then run id: a conversation. */
    public LettaCodeBuffers buffersByStart(Options options) {
        Comparator<String> byStart =
                starts.order(drains.values().stream().map(drain -> drain.runId).toList());
        return session(
                drains.values().stream()
                        .sorted((a, b) -> byStart.compare(a.runId, b.runId))
                        .toList(),
                options);
    }

    /**
     * Each drain with chunks drained once into one session. A run that ended without a stop reason
     * and has a terminal recorder record (finished, abandoned, expired...) is not resumed any more:
     * its pending resume is abandoned.
     */
    private static LettaCodeBuffers session(List<Drain> drains, Options options) {
        LettaCodeBuffers buffers = LettaCodeProjection.newSession(options);
        for (Drain drain : drains) {
            if (drain.chunks.isEmpty()) {
                continue;
            }
            buffers.drain(drain.chunks);
            if (drain.terminated) {
                buffers.abandonResume();
            }
        }
        return buffers;
    }
}
