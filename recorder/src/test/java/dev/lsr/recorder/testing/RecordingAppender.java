package dev.lsr.recorder.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.RunState;
import dev.lsr.recorder.internal.drain.AppenderClosedException;
import dev.lsr.recorder.internal.drain.RunAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** An in-memory log: keeps every appended record with the state after it. Thread-safe. */
public final class RecordingAppender implements RunAppender {

    /** One appended record. */
    public record Appended(ChunkLogRecord record, RunState stateAfter) {}

    private final List<Appended> appended = new ArrayList<>();
    private volatile boolean closed;
    private volatile boolean fenced;

    @Override
    public synchronized void append(ChunkLogRecord record, RunState stateAfter) {
        if (closed) {
            throw new AppenderClosedException("log closed", fenced, null);
        }
        appended.add(new Appended(record, stateAfter));
    }

    public void close(boolean asFenced) {
        fenced = asFenced;
        closed = true;
    }

    public synchronized List<Appended> all() {
        return List.copyOf(appended);
    }

    public List<ChunkLogRecord> records(String runId) {
        return all().stream()
                .map(Appended::record)
                .filter(r -> r.runId().equals(runId))
                .toList();
    }

    /** The chunk values of a run, as text, in append order. */
    public List<String> chunks(String runId) {
        return records(runId).stream()
                .filter(r -> r.type() == RecordType.CHUNK)
                .map(ChunkLogRecord::valueText)
                .toList();
    }

    public List<RecordType> types(String runId) {
        return records(runId).stream().map(ChunkLogRecord::type).toList();
    }

    public List<ChunkLogRecord> ofType(String runId, RecordType type) {
        return records(runId).stream().filter(r -> r.type() == type).toList();
    }

    /** The value of a lifecycle record, read back through the contract. */
    public static <T extends LifecycleEvent> T value(ChunkLogRecord record, Class<T> type) {
        try {
            return Json.MAPPER.readValue(record.value(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(new String(record.value(), UTF_8), e);
        }
    }
}
