package dev.lsr.recorder.internal.drain;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.MalformedChunkException;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.PositionAssigner;
import dev.lsr.chunklog.RunState;
import dev.lsr.chunklog.Utf8;
import dev.lsr.recorder.RecorderListener;
import dev.lsr.recorder.internal.sse.SseFrame;
import java.io.IOException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the frames of a run into log records: positions each frame (chunk-log's
 * {@link PositionAssigner}), skips keepalive pings and
 * replayed positions, records a gap before a frame the server skipped to ({@link GapDetector}),
 * appends chunks verbatim, rejects what is not one UTF-8 JSON object, and records an error frame
 * of the connection only ({@link ConnectionErrors}) as a {@code connection.error} record that
 * takes no position.
 *
 * <p>On a stream that shows seqs (a background run's), a seq-less frame ({@code stop_reason},
 * {@code usage_statistics}) is held until the stream confirms it: a later frame with a seq, or {@code [DONE]}
 * ({@link #streamEnded()}). A connection that ends otherwise drops what it held, and the resume after the last seq
 * replays the stored ones at the same positions. The archived server's resume route sends a {@code stop_reason:
 * cancelled} of its own once the run is cancelled (never stored, no seq), then ends without {@code [DONE]}: recorded,
 * it took the position of the stored frame after it. A run that ends (finished, refused, abandoned) without any
 * connection confirming its last seq-less frames keeps the longest such tail a connection showed since the last
 * append ({@link #keepUnconfirmedTail()}): what the recorder appended as it came before this rule. The hold is
 * bounded ({@link UnconfirmedFrames}): past it, the connection's seq-less frames are appended as they come.
 */
public final class FrameRecorder implements FrameHandler {

    private static final Logger log = LoggerFactory.getLogger(FrameRecorder.class);
    private static final int PREFIX_CHARS = 256;

    private final RunCursor run;
    private final RecordFactory records;
    private final RunAppender appender;
    private final RecorderListener listener;
    private final GapDetector gaps;
    private PositionAssigner tracker = PositionAssigner.resumingAfter(0);
    private boolean endedByStoredError;
    /** What this connection's seq-less frames would append, in order, until the stream confirms them. */
    private final UnconfirmedFrames held = new UnconfirmedFrames();

    private boolean holdLimitLogged;
    /** This connection passed the hold's limit: its seq-less frames are appended as they come. */
    private boolean holdLimitPassed;

    public FrameRecorder(RunCursor run, RecordFactory records, RunAppender appender, RecorderListener listener) {
        this.run = Objects.requireNonNull(run, "run");
        this.records = records;
        this.appender = appender;
        this.listener = listener;
        this.gaps = new GapDetector(records, appender, listener);
    }

    /** Call before the first frame of each connection, with the {@code starting_after} it was opened with. */
    public void startConnection(long startingAfter) {
        if (!held.isEmpty()) {
            log.debug(
                    "Run {}: {} seq-less frame(s) of the last connection were not confirmed; the resume replays the"
                            + " stored ones",
                    run.runId(),
                    held.size());
            held.setAside();
        }
        holdLimitPassed = false;
        tracker = PositionAssigner.resumingAfter(startingAfter);
        endedByStoredError = false;
    }

    /** The stream ended with {@code [DONE]}: what it held is the run's. */
    @Override
    public void streamEnded() {
        held.confirm();
    }

    /**
     * The run ends (finished, refused, abandoned) and no connection confirmed the seq-less frames it showed last:
     * appends the longest such tail a connection showed since the last append. Without this the run's last
     * {@code stop_reason} and usage would be missing whenever the stream never sent its {@code [DONE]}.
     */
    public void keepUnconfirmedTail() {
        held.appendLongestSetAside();
    }

    /**
     * Appends {@code append} now, after what was held, unless the frame at {@code position} waits for the stream to
     * confirm it and the hold's limit allows. Once a connection passed the limit, its seq-less frames are appended as
     * they come until it ends (a stream that never confirms them), logged once per run.
     */
    private void appendOrHold(Position position, int bytes, Runnable append) {
        if (awaitsConfirmation(position) && !holdLimitPassed) {
            if (held.hold(append, bytes)) {
                return;
            }
            holdLimitPassed = true;
            if (!holdLimitLogged) {
                holdLimitLogged = true;
                log.warn(
                        "Run {}: over {} seq-less frames (or {} bytes) in a row after seq {}; appended as they come"
                                + " for the rest of the connection, not held until the stream confirms them",
                        run.runId(),
                        UnconfirmedFrames.MAX_FRAMES,
                        UnconfirmedFrames.MAX_BYTES,
                        tracker.lastSeq());
            }
        }
        held.confirm();
        append.run();
    }

    /**
     * Whether the frame at {@code position} waits for the stream to confirm it; if not, it is appended now, after
     * what was held (a frame with a seq confirms the seq-less ones before it).
     */
    private boolean awaitsConfirmation(Position position) {
        return position.sub() != 0 && tracker.lastSeq() > 0;
    }

    /**
     * True when this connection ended with an {@code event: error} frame of the run's own stream
     * (appended as a chunk): the stream's end, if the server agrees. False after an error of the
     * connection only.
     */
    public boolean endedByStoredError() {
        return endedByStoredError;
    }

    @Override
    public boolean handle(SseFrame frame) {
        byte[] data = frame.data();
        ChunkPeek peek;
        if (frame.isOversized()) {
            reject(frame, "oversized", "payload of " + frame.sizeBytes() + " bytes is over the limit");
            return frame.isError();
        }
        if (!Utf8.isValid(data)) {
            reject(frame, "invalid_utf8", "payload is not well-formed UTF-8");
            return frame.isError();
        }
        try {
            peek = ChunkPeek.of(data);
        } catch (MalformedChunkException e) {
            reject(frame, "malformed_json", e.getMessage());
            return frame.isError();
        }
        if (frame.isError() && recordedAsConnectionError(frame, peek)) {
            return true;
        }
        Position previous = tracker.last();
        Position position = tracker.assign(peek.seqId(), peek.isPing());
        if (position == null) {
            return frame.isError();
        }
        if ("stop_reason".equals(peek.messageType())) {
            run.stopReason(stopReason(data));
        }
        endedByStoredError = frame.isError();
        if (!position.isAfter(run.lastAppended())) {
            listener.replayDropped(run.runId());
            return frame.isError();
        }
        if (awaitsConfirmation(position)) {
            appendOrHold(position, data.length, () -> appendChunk(previous, position, frame, data));
        } else {
            held.confirm();
            appendChunk(previous, position, frame, data); // the hot path: no closure per chunk
        }
        return frame.isError();
    }

    private void appendChunk(Position previous, Position position, SseFrame frame, byte[] data) {
        if (!appending(position)) {
            return;
        }
        gaps.beforeFrame(run, previous, position);
        appender.append(records.chunk(run, position, frame.event(), data), RunState.ACTIVE);
        run.appended(position, records.clock().instant());
        listener.chunkAppended(run.runId(), data.length);
    }

    /** Records an error frame of this connection only, if it is one; it takes no position and is no progress. */
    private boolean recordedAsConnectionError(SseFrame frame, ChunkPeek peek) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(frame.data());
        } catch (IOException e) {
            return false;
        }
        if (!ConnectionErrors.isPerConnection(json, peek, tracker.lastSeq(), run.stopReasonSeen())) {
            return false;
        }
        appender.append(
                records.lifecycle(run, new LifecycleEvent.ConnectionError(frame.event(), json)), RunState.ACTIVE);
        log.info(
                "Run {}: the server cut the connection at {} with an error frame of that connection ({}); the run goes on",
                run.runId(),
                run.lastAppended(),
                errorSummary(json));
        return true;
    }

    private static String errorSummary(JsonNode json) {
        JsonNode code = json.has("error_code") ? json.get("error_code") : json.get("code");
        JsonNode message = json.has("message") ? json.get("message") : json.get("error");
        return (code == null ? "no code" : code.asText()) + ": " + (message == null ? "no message" : message.asText());
    }

    @Override
    public boolean stopReasonSeen() {
        return run.stopReasonSeen();
    }

    @Override
    public long progress() {
        return run.appended() + run.rejected();
    }

    private void reject(SseFrame frame, String reason, String detail) {
        Position previous = tracker.last();
        Position position = tracker.assignUnreadable(frame.rawSeq());
        // a rejected frame takes its position like a stored one: a rejected error still ends the run's stream
        endedByStoredError = frame.isError();
        if (!position.isAfter(run.lastAppended())) {
            listener.replayDropped(run.runId());
            return;
        }
        appendOrHold(position, frame.data().length, () -> appendRejection(frame, reason, detail, previous, position));
    }

    private void appendRejection(SseFrame frame, String reason, String detail, Position previous, Position position) {
        if (!appending(position)) {
            return;
        }
        gaps.beforeFrame(run, previous, position);
        String prefix = new String(frame.data(), UTF_8);
        prefix = prefix.length() > PREFIX_CHARS ? prefix.substring(0, PREFIX_CHARS) : prefix;
        LifecycleEvent.ChunkRejected value =
                new LifecycleEvent.ChunkRejected(reason, detail, frame.event(), frame.sizeBytes(), prefix);
        appender.append(records.rejected(run, position, value), RunState.ACTIVE);
        run.rejected(position, records.clock().instant());
        listener.frameRejected(run.runId(), reason);
        if (run.rejected() == 1) {
            log.warn(
                    "Run {}: rejected a frame at position {} ({}: {}); later rejections are counted at the run's"
                            + " end",
                    run.runId(),
                    position,
                    reason,
                    detail);
        }
    }

    /**
     * Whether a frame at {@code position} is appended now (a held one may have been overtaken), and if so, forgets
     * the tails set aside: the stream went on past them.
     */
    private boolean appending(Position position) {
        if (!position.isAfter(run.lastAppended())) {
            return false;
        }
        held.forgetSetAside();
        return true;
    }

    private static String stopReason(byte[] data) {
        try {
            JsonNode value = Json.MAPPER.readTree(data).get("stop_reason");
            return value != null && value.isTextual() ? value.asText() : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }
}
