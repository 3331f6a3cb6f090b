package dev.lsr.recorder.testing;

import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.recorder.internal.letta.SseStream;
import dev.lsr.recorder.internal.sse.SseFrame;
import dev.lsr.recorder.internal.sse.SseFrameReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import okio.Buffer;

/**
 * An {@link SseStream} over a fixed body that can end early: EOF, an I/O error, a hang until
 * cancelled, keepalive pings until cancelled (Letta's reader polling a stream with nothing new), or
 * a per-connection {@code event: error} frame then EOF (Letta Cloud's deploy interruption repeating
 * the last seq shown or with a null seq, or the legacy writer's frame).
 */
public final class ScriptedStream implements SseStream {

    /** How the connection ends once {@code framesBeforeCut} frames were served. */
    public enum Ending {
        EOF,
        IO_ERROR,
        HANG,
        PINGS,
        CLOUD_ERROR,
        CLOUD_ERROR_NO_SEQ,
        LEGACY_ERROR
    }

    /** Keepalive pings are Letta's every 20 s; scripted ones come faster than any test's stall timeout. */
    private static final Duration PING_EVERY = Duration.ofMillis(50);

    private final SseFrameReader reader;
    private final int framesBeforeCut;
    private final Ending ending;
    private final IntConsumer onFrameServed;
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private int served;
    private Long lastSeq;
    private boolean errorSent;

    public ScriptedStream(byte[] body, int framesBeforeCut, Ending ending, IntConsumer onFrameServed) {
        this.reader = new SseFrameReader(new Buffer().write(body));
        this.framesBeforeCut = framesBeforeCut;
        this.ending = ending;
        this.onFrameServed = onFrameServed;
    }

    /** The whole body, then end of stream. */
    public static ScriptedStream whole(byte[] body) {
        return new ScriptedStream(body, Integer.MAX_VALUE, Ending.EOF, n -> {});
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
            lastSeq = seqOf(frame) != null ? seqOf(frame) : lastSeq;
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
            case CLOUD_ERROR, CLOUD_ERROR_NO_SEQ, LEGACY_ERROR -> {
                if (errorSent) {
                    return null;
                }
                errorSent = true;
                return errorFrame();
            }
            case PINGS -> {
                failOnCancel(PING_EVERY.toMillis());
                return ping();
            }
            default -> {
                while (true) {
                    failOnCancel(Long.MAX_VALUE);
                }
            }
        }
    }

    /** Waits up to {@code millis} for the stream to be cancelled: a cancel (or an interrupt) fails the read. */
    private void failOnCancel(long millis) throws IOException {
        try {
            if (!cancelled.await(millis, TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IOException("Canceled");
    }

    /** A keepalive ping repeating the last seq served, as Letta's are. */
    private SseFrame ping() {
        byte[] data = ("{\"id\":\"ping-00000000-0000-4000-8000-000000000000\",\"message_type\":\"ping\",\"seq_id\":"
                        + lastSeq + "}")
                .getBytes(StandardCharsets.UTF_8);
        return new SseFrame(null, data, data.length);
    }

    private SseFrame errorFrame() {
        String json = ending == Ending.LEGACY_ERROR
                ? "{\"error\": \"scripted writer failure\", \"code\": \"INTERNAL_SERVER_ERROR\"}"
                : "{\"message_type\":\"error_message\",\"error_type\":\"internal_error\","
                        + "\"error_code\":\"cloud_api_deployment_interrupted\",\"status_code\":503,\"retryable\":true,"
                        + "\"seq_id\":" + (ending == Ending.CLOUD_ERROR ? lastSeq : null) + "}";
        byte[] data = json.getBytes(StandardCharsets.UTF_8);
        return new SseFrame("error", data, data.length);
    }

    private static Long seqOf(SseFrame frame) {
        try {
            return frame.isDone() ? null : ChunkPeek.of(frame.data()).seqId();
        } catch (RuntimeException e) {
            return null;
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
