package dev.lsr.recorder.testing;

import dev.lsr.recorder.internal.letta.SseStream;
import dev.lsr.recorder.internal.sse.SseFrame;
import dev.lsr.recorder.internal.sse.SseFrameReader;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntConsumer;
import okio.Buffer;

/** An {@link SseStream} over a fixed body that can end early: EOF, an I/O error, or a hang until cancelled. */
public final class ScriptedStream implements SseStream {

    /** How the connection ends once {@code framesBeforeCut} frames were served. */
    public enum Ending { EOF, IO_ERROR, HANG }

    private final SseFrameReader reader;
    private final int framesBeforeCut;
    private final Ending ending;
    private final IntConsumer onFrameServed;
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private int served;

    public ScriptedStream(byte[] body, int framesBeforeCut, Ending ending, IntConsumer onFrameServed) {
        this.reader = new SseFrameReader(new Buffer().write(body));
        this.framesBeforeCut = framesBeforeCut;
        this.ending = ending;
        this.onFrameServed = onFrameServed;
    }

    /** The whole body, then end of stream. */
    public static ScriptedStream whole(byte[] body) {
        return new ScriptedStream(body, Integer.MAX_VALUE, Ending.EOF, n -> { });
    }

    @Override
    public SseFrame next() throws IOException {
        if (cancelled.getCount() == 0) {
            throw new IOException("Canceled");
        }
        if (served >= framesBeforeCut) {
            return cut();
        }
        SseFrame frame = reader.next();
        if (frame != null) {
            served++;
            onFrameServed.accept(served);
        }
        return frame;
    }

    private SseFrame cut() throws IOException {
        switch (ending) {
            case EOF -> {
                return null;
            }
            case IO_ERROR -> throw new IOException("connection reset (scripted)");
            default -> {
                try {
                    cancelled.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("Canceled");
            }
        }
    }

    @Override
    public void cancel() {
        cancelled.countDown();
    }

    @Override
    public void close() {
        cancelled.countDown();
    }
}
