package dev.lsr.sim.internal.http;

import dev.lsr.sim.ConnectionFault;
import dev.lsr.sim.StoredFrame;
import dev.lsr.sim.internal.store.FrameText;
import dev.lsr.sim.internal.store.Frames;
import dev.lsr.sim.internal.store.Run;
import dev.lsr.sim.internal.store.RunStream;
import dev.lsr.sim.internal.store.StreamEntry;
import dev.lsr.sim.internal.store.WireTime;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The reader side of a run's stream on one connection (Letta's {@code redis_sse_stream_generator}
 * wrapped in the keepalive wrapper): sends stored frames with seq > starting_after, filling
 * {@code "seq_id":null}/{@code "run_id":null}; waits for new frames while the run is live; stops
 * after the first final frame it sends. After {@code keepaliveInterval} of silence it sends a ping
 * repeating the last seq_id this connection saw ({@code null} before any); those pings are never
 * stored. Connection faults are applied here and never touch the stored stream.
 */
final class RunReader {

    /** Letta's keepalive wrapper ends a response after this long with nothing but pings. */
    static final Duration PINGS_ONLY_LIMIT = Duration.ofSeconds(1800);

    private final Clock clock;
    private final long keepaliveNanos;

    RunReader(Clock clock, Duration keepaliveInterval) {
        this.clock = clock;
        this.keepaliveNanos = keepaliveInterval.toNanos();
    }

    /** Streams the run to the sink until its final frame, a fault, or shutdown. */
    void serve(Run run, ReadRequest request, ConnectionFault fault, SseSink sink)
            throws IOException, InterruptedException {
        serve(run.id(), run.stream(), request, fault, sink);
    }

    /** Streams any run stream (also an empty one: a run with nothing stored gets only keepalive pings). */
    void serve(String runId, RunStream stream, ReadRequest request, ConnectionFault fault, SseSink sink)
            throws IOException, InterruptedException {
        serve(runId, stream, request, fault, sink, () -> {});
    }

    /**
     * Streams any run stream; {@code faultHappens} is told when the fault is applied (so a connection
     * that fails before it, its client gone, can hand the fault on).
     */
    void serve(
            String runId,
            RunStream stream,
            ReadRequest request,
            ConnectionFault fault,
            SseSink sink,
            Runnable faultHappens)
            throws IOException, InterruptedException {
        Connection connection = new Connection(runId, sink, fault, faultHappens);
        // the response starts before its body, as Letta's (Starlette's streaming response sends its start at once):
        // a reader of a stream with nothing to send yet has its headers, then keepalive pings or silence
        sink.commit();
        connection.applyFaultAt(0);
        int index = 0;
        while (true) {
            long wait = request.includePings() ? keepaliveNanos - connection.silentNanos() : Long.MAX_VALUE;
            if (wait <= 0) {
                if (connection.pingsOnlyNanos() >= PINGS_ONLY_LIMIT.toNanos()) {
                    sink.end();
                    return;
                }
                connection.writeKeepalive(request.showSeq());
                continue;
            }
            RunStream.Slice slice =
                    stream.awaitFrom(index, Math.min(wait, Duration.ofHours(1).toNanos()));
            List<StreamEntry> entries = slice.entries();
            index = slice.next();
            if (entries.isEmpty()) {
                if (stream.isClosed()) {
                    sink.abort("server shutting down");
                    return;
                }
                continue;
            }
            for (StreamEntry entry : entries) {
                if (entry instanceof StreamEntry.Stored stored) {
                    StoredFrame frame = stored.frame();
                    if (frame.seq() <= request.startingAfter()) {
                        continue;
                    }
                    connection.write(
                            request.showSeq()
                                    ? FrameText.fillNulls(frame.bytes(), runId, frame.seq())
                                    : FrameText.fillRunId(frame.bytes(), runId));
                    if (frame.isFinal()) {
                        sink.end();
                        return;
                    }
                } else if (entry instanceof StreamEntry.RecordedPing ping
                        && request.includePings()
                        && request.startingAfter() < ping.replayBelow()) {
                    connection.write(ping.bytes());
                }
            }
        }
    }

    private final class Connection {
        private final String runId;
        private final SseSink sink;
        private final ConnectionFault fault;
        private final Runnable faultHappens;
        private long lastSeq = -1;
        private long lastWrite = System.nanoTime();
        private long lastData = lastWrite;
        private int written;

        Connection(String runId, SseSink sink, ConnectionFault fault, Runnable faultHappens) {
            this.runId = runId;
            this.sink = sink;
            this.fault = fault;
            this.faultHappens = faultHappens;
        }

        long silentNanos() {
            return System.nanoTime() - lastWrite;
        }

        long pingsOnlyNanos() {
            return System.nanoTime() - lastData;
        }

        void write(byte[] frame) throws IOException, InterruptedException {
            sink.write(frame);
            long seq = FrameText.firstSeqId(frame);
            if (seq >= 0) {
                lastSeq = seq;
            }
            lastWrite = System.nanoTime();
            lastData = lastWrite;
            written++;
            applyFaultAt(written);
        }

        void writeKeepalive(boolean showSeq) throws IOException {
            String seq = showSeq && lastSeq >= 0 ? Long.toString(lastSeq) : "null";
            String json = "{\"id\":\"ping-" + UUID.randomUUID() + "\",\"date\":\"" + WireTime.chunkDate(clock.instant())
                    + "\",\"name\":null,\"message_type\":\"ping\",\"otid\":null,\"sender_id\":null,\"step_id\":null,"
                    + "\"is_err\":null,\"seq_id\":" + seq + ",\"run_id\":\"" + runId + "\"}";
            sink.write(Frames.data(json));
            lastWrite = System.nanoTime();
        }

        void applyFaultAt(int frames) throws IOException, InterruptedException {
            switch (fault) {
                case ConnectionFault.Drop drop
                when drop.afterFrames() == frames -> {
                    faultHappens.run();
                    if (drop.abrupt()) {
                        sink.abort("drop after " + frames + " frames");
                    } else {
                        sink.end();
                    }
                    throw new FaultEnded();
                }
                case ConnectionFault.Stall stall
                when stall.afterFrames() == frames -> {
                    faultHappens.run();
                    Thread.sleep(stall.duration());
                    lastWrite = System.nanoTime();
                }
                case ConnectionFault.CancelledByReader cancelled
                when cancelled.afterFrames() == frames -> {
                    faultHappens.run();
                    sink.write(Frames.data("{\"message_type\": \"stop_reason\", \"stop_reason\": \"cancelled\"}"));
                    sink.end();
                    throw new FaultEnded();
                }
                case ConnectionFault.ErrorFrame error
                when error.afterFrames() == frames -> {
                    faultHappens.run();
                    sink.write(errorFrame(error.shape()));
                    sink.end();
                    throw new FaultEnded();
                }
                case null, default -> {}
            }
        }

        /** The per-connection error frame of this shape; the Cloud one repeats the last seq shown, like a ping. */
        private byte[] errorFrame(ConnectionFault.ErrorShape shape) {
            if (shape == ConnectionFault.ErrorShape.LEGACY_WRITER) {
                return Frames.error("{\"error\": \"letta-sim fault: the response writer failed\", "
                        + "\"code\": \"INTERNAL_SERVER_ERROR\"}");
            }
            String seq = shape == ConnectionFault.ErrorShape.CLOUD_INTERRUPTED && lastSeq >= 0
                    ? Long.toString(lastSeq)
                    : "null";
            if (shape == ConnectionFault.ErrorShape.CLOUD_READER_FAILED_NO_SEQ) {
                return Frames.error("{\"message_type\":\"error_message\",\"run_id\":\"" + runId + "\","
                        + "\"error_type\":\"internal_error\",\"message\":\"The stream reader failed.\","
                        + "\"detail\":\"letta-sim fault\",\"error_code\":\"stream_reader_failed\","
                        + "\"status_code\":500,\"retryable\":true,\"seq_id\":null}");
            }
            return Frames.error("{\"message_type\":\"error_message\",\"run_id\":\"" + runId + "\","
                    + "\"error_type\":\"internal_error\",\"message\":\"The stream was interrupted by a deployment.\","
                    + "\"detail\":\"letta-sim fault\",\"error_code\":\"cloud_api_deployment_interrupted\","
                    + "\"status_code\":503,\"retryable\":true,\"seq_id\":" + seq + "}");
        }
    }

    /** Unchecked signal that a fault ended the connection; the sink is already completed. */
    static final class FaultEnded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FaultEnded() {
            super("connection ended by a fault", null, false, false);
        }
    }
}
