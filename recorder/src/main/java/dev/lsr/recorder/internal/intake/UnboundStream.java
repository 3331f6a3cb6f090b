package dev.lsr.recorder.internal.intake;

import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.chunklog.MalformedChunkException;
import dev.lsr.recorder.internal.drain.FrameHandler;
import dev.lsr.recorder.internal.drain.FrameRecorder;
import dev.lsr.recorder.internal.sse.SseFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frames of a stream whose run id is not known yet (the response to a send): held back until a
 * frame names the run (the initial ping does), then handed, in order, to the recorder the binder
 * returns for that run. A binder that returns null means another recording owns the run: the drain
 * stops. A stream that names no run in its first {@value #MAX_HELD} frames is ended (the send then looks for its
 * run), never drained on with frames dropped.
 */
final class UnboundStream implements FrameHandler {

    static final int MAX_HELD = 10_000;
    private static final Logger log = LoggerFactory.getLogger(UnboundStream.class);

    private final Function<String, FrameRecorder> binder;
    private final List<SseFrame> held = new ArrayList<>();
    private FrameRecorder recorder;
    private String runId;
    private boolean handedOver;

    UnboundStream(Function<String, FrameRecorder> binder) {
        this.binder = binder;
    }

    /** The run id, once a frame named it. */
    String runId() {
        return runId;
    }

    /** True when the run turned out to be recorded by someone else. */
    boolean handedOver() {
        return handedOver;
    }

    boolean bound() {
        return recorder != null;
    }

    @Override
    public boolean handle(SseFrame frame) {
        if (recorder != null) {
            return recorder.handle(frame);
        }
        String named = runIdOf(frame);
        if (named == null) {
            if (held.size() == MAX_HELD) {
                // not drained on with frames thrown away: the run is found by its otid, whose stream replays it
                log.warn(
                        "A send's response named no run in its first {} frames; ending it to look for the run",
                        MAX_HELD);
                held.clear();
                return true;
            }
            held.add(frame);
            return frame.isError();
        }
        runId = named;
        recorder = binder.apply(named);
        if (recorder == null) {
            handedOver = true;
            return true;
        }
        boolean ended = false;
        for (SseFrame earlier : held) {
            ended |= recorder.handle(earlier);
        }
        held.clear();
        return recorder.handle(frame) || ended;
    }

    @Override
    public void streamEnded() {
        if (recorder != null) {
            recorder.streamEnded();
        }
    }

    @Override
    public boolean stopReasonSeen() {
        return recorder != null && recorder.stopReasonSeen();
    }

    @Override
    public long progress() {
        return recorder == null ? held.size() : recorder.progress();
    }

    private static String runIdOf(SseFrame frame) {
        if (frame.isOversized()) {
            return null;
        }
        try {
            return ChunkPeek.of(frame.data()).runId();
        } catch (MalformedChunkException e) {
            return null;
        }
    }
}
