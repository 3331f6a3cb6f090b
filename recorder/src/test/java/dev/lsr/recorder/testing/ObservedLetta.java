package dev.lsr.recorder.testing;

import dev.lsr.recorder.SendMessage;
import dev.lsr.recorder.internal.letta.LettaApi;
import dev.lsr.recorder.internal.letta.Run;
import dev.lsr.recorder.internal.letta.RunQuery;
import dev.lsr.recorder.internal.letta.SseStream;
import dev.lsr.recorder.internal.sse.SseFrame;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Letta through a {@link FakeLetta}, with the first run stream opened watched: {@code beforeFrame} hears the number
 * (from 1) of each frame about to be read, {@code onCancel} each cancel. For tests of what a session does while it
 * holds a stream (a read that blocks, a watchdog's cancel).
 */
public final class ObservedLetta implements LettaApi {

    private final FakeLetta letta;
    private final IntConsumer beforeFrame;
    private final Runnable onCancel;
    private final AtomicBoolean first = new AtomicBoolean(true);

    public ObservedLetta(FakeLetta letta, IntConsumer beforeFrame, Runnable onCancel) {
        this.letta = letta;
        this.beforeFrame = beforeFrame;
        this.onCancel = onCancel;
    }

    @Override
    public Run getRun(String runId) throws IOException {
        return letta.getRun(runId);
    }

    @Override
    public List<Run> listRuns(RunQuery query) throws IOException {
        return letta.listRuns(query);
    }

    @Override
    public SseStream streamRun(String runId, long startingAfter) throws IOException {
        SseStream stream = letta.streamRun(runId, startingAfter);
        if (!first.getAndSet(false)) {
            return stream;
        }
        AtomicInteger frames = new AtomicInteger();
        return new SseStream() {
            @Override
            public SseFrame next() throws IOException {
                beforeFrame.accept(frames.incrementAndGet());
                return stream.next();
            }

            @Override
            public void cancel() {
                onCancel.run();
                stream.cancel();
            }

            @Override
            public void close() {
                stream.close();
            }
        };
    }

    @Override
    public SseStream streamByOtid(SendMessage message) throws IOException {
        return letta.streamByOtid(message);
    }

    @Override
    public SseStream send(SendMessage message) throws IOException {
        return letta.send(message);
    }
}
