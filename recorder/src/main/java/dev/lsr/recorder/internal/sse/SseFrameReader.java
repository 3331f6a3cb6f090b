package dev.lsr.recorder.internal.sse;

import dev.lsr.recorder.RecorderSettings;
import java.io.IOException;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;

/**
 * Reads server-sent events from a response body, keeping every {@code data:} payload's exact bytes.
 *
 * <p>Frames are separated by blank lines; {@code event:} names the frame; several {@code data:}
 * lines are joined with {@code \n}; one space after the colon is dropped; comment lines
 * ({@code :...}) and other fields ({@code id:}, {@code retry:}) are ignored; {@code \r\n} line ends
 * are accepted; a byte order mark at the start of the stream is skipped. A payload starting with {@code [DONE]} is returned as {@link SseFrame#DONE}. A
 * partial frame at end of stream is discarded, as the SSE specification says. Payloads larger than
 * the limit are not buffered: they come back cut to a prefix and flagged oversized.
 *
 * <p>Not thread-safe: one reader per stream. Allocates one byte array and one frame per event.
 */
public final class SseFrameReader {

    /** The default payload limit, in bytes: the {@code --max-frame-bytes} default. */
    public static final int DEFAULT_MAX_FRAME_BYTES = RecorderSettings.MAX_FRAME_BYTES.defaultValue();
    /** How much of an oversized payload is kept, for diagnosis. */
    public static final int PREFIX_BYTES = 256;

    private static final ByteString DATA = ByteString.encodeUtf8("data");
    private static final ByteString DATA_COLON = ByteString.encodeUtf8("data:");
    private static final ByteString EVENT = ByteString.encodeUtf8("event:");
    private static final ByteString DONE_MARK = ByteString.encodeUtf8("[DONE]");
    private static final ByteString ERROR = ByteString.encodeUtf8("error");
    private static final ByteString CANCELLED = ByteString.encodeUtf8("cancelled");
    private static final long SCAN_CHUNK = 8192;
    private static final ByteString BYTE_ORDER_MARK = ByteString.of((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);

    private final BufferedSource source;
    private final Buffer buffer;
    private final int maxFrameBytes;
    private final long maxLineBytes;
    private final Buffer data = new Buffer();
    private String event;
    private boolean hasData;
    private long frameBytes;
    private RawSeq oversizedSeq;
    private boolean started;

    public SseFrameReader(BufferedSource source) {
        this(source, DEFAULT_MAX_FRAME_BYTES);
    }

    public SseFrameReader(BufferedSource source, int maxFrameBytes) {
        if (maxFrameBytes < PREFIX_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes must be at least " + PREFIX_BYTES);
        }
        this.source = source;
        this.buffer = source.getBuffer();
        this.maxFrameBytes = maxFrameBytes;
        this.maxLineBytes = maxFrameBytes + 64L;
    }

    /**
     * Reads the next frame.
     *
     * @return the frame, {@link SseFrame#DONE}, or null at end of stream
     * @throws IOException when reading fails
     */
    public SseFrame next() throws IOException {
        if (!started) {
            started = true;
            if (source.rangeEquals(0, BYTE_ORDER_MARK)) {
                source.skip(BYTE_ORDER_MARK.size());
            }
        }
        while (true) {
            long newline = source.indexOf((byte) '\n', 0, maxLineBytes);
            if (newline < 0) {
                if (buffer.size() < maxLineBytes) {
                    return null;
                }
                consumeOverlongLine();
                continue;
            }
            int terminator = newline > 0 && buffer.getByte(newline - 1) == '\r' ? 2 : 1;
            long length = newline + 1 - terminator;
            if (length == 0) {
                source.skip(terminator);
                if (hasData) {
                    return dispatch();
                }
                event = null;
                continue;
            }
            readField(length);
            source.skip(terminator);
        }
    }

    private void readField(long length) throws IOException {
        if (source.rangeEquals(0, DATA)) {
            if (length == DATA.size()) {
                source.skip(length);
                startDataLine();
                return;
            }
            if (buffer.getByte(DATA.size()) == ':') {
                long skip = DATA.size() + 1;
                if (length > skip && buffer.getByte(skip) == ' ') {
                    skip++;
                }
                source.skip(skip);
                startDataLine();
                appendDataBytes(length - skip);
                return;
            }
        } else if (source.rangeEquals(0, EVENT)) {
            long skip = EVENT.size();
            if (length > skip && buffer.getByte(skip) == ' ') {
                skip++;
            }
            source.skip(skip);
            event = eventName(length - skip);
            return;
        }
        source.skip(length);
    }

    /** Joins a further {@code data:} line to the frame with {@code \n}. */
    private void startDataLine() {
        if (hasData) {
            frameBytes++;
            if (frameBytes <= maxFrameBytes || data.size() < PREFIX_BYTES) {
                data.writeByte('\n');
            }
            if (oversizedSeq != null) {
                oversizedSeq.feed((byte) '\n');
            }
        }
        hasData = true;
    }

    /**
     * Moves {@code length} payload bytes from the head of the source into the frame (or past it, once
     * oversized). Bytes of an oversized frame are scanned for its seq as they go by.
     */
    private void appendDataBytes(long length) throws IOException {
        frameBytes += length;
        if (frameBytes <= maxFrameBytes) {
            source.readFully(data, length);
            return;
        }
        if (oversizedSeq == null) {
            oversizedSeq = new RawSeq();
            scan(data, 0, data.size());
        }
        long kept = Math.min(Math.max(0, PREFIX_BYTES - data.size()), length);
        source.readFully(data, kept);
        scan(data, data.size() - kept, kept);
        skipScanning(length - kept);
    }

    /** Skips {@code length} bytes of the source, feeding them to the oversized frame's seq scan until it is done. */
    private void skipScanning(long length) throws IOException {
        long left = length;
        while (left > 0 && !oversizedSeq.done()) {
            source.require(1);
            long n = Math.min(left, buffer.size());
            scan(buffer, 0, n);
            source.skip(n);
            left -= n;
        }
        source.skip(left);
    }

    private void scan(Buffer bytes, long from, long count) {
        for (long i = from; i < from + count && !oversizedSeq.done(); i++) {
            oversizedSeq.feed(bytes.getByte(i));
        }
    }

    /** A line longer than any frame may be: keep a prefix if it is data, stream the rest away. */
    private void consumeOverlongLine() throws IOException {
        boolean isData = source.rangeEquals(0, DATA_COLON);
        if (isData) {
            source.skip(DATA_COLON.size());
            if (buffer.getByte(0) == ' ') {
                source.skip(1);
            }
            startDataLine();
        }
        while (true) {
            long newline = source.indexOf((byte) '\n', 0, SCAN_CHUNK);
            if (newline < 0) {
                // only the bytes searched: the buffer may hold more, read ahead, with the line's end among them
                long available = Math.min(buffer.size(), SCAN_CHUNK);
                if (available == 0) {
                    return;
                }
                consume(isData, available);
                continue;
            }
            boolean cr = newline > 0 && buffer.getByte(newline - 1) == '\r';
            consume(isData, cr ? newline - 1 : newline);
            source.skip(cr ? 2 : 1);
            return;
        }
    }

    private void consume(boolean isData, long length) throws IOException {
        if (isData) {
            appendDataBytes(length);
        } else {
            source.skip(length);
        }
    }

    private String eventName(long length) throws IOException {
        if (length == ERROR.size() && source.rangeEquals(0, ERROR)) {
            source.skip(length);
            return "error";
        }
        if (length == CANCELLED.size() && source.rangeEquals(0, CANCELLED)) {
            source.skip(length);
            return "cancelled";
        }
        return source.readUtf8(length);
    }

    private SseFrame dispatch() throws IOException {
        SseFrame frame;
        boolean oversized = frameBytes > maxFrameBytes;
        if (!oversized && event == null && data.rangeEquals(0, DONE_MARK)) {
            data.clear();
            frame = SseFrame.DONE;
        } else {
            byte[] payload = oversized ? data.readByteArray(Math.min(PREFIX_BYTES, data.size())) : data.readByteArray();
            data.clear();
            frame = new SseFrame(
                    event,
                    payload,
                    (int) Math.min(Integer.MAX_VALUE, frameBytes),
                    !oversized ? null : oversizedSeq != null ? oversizedSeq.result() : RawSeq.find(payload));
        }
        oversizedSeq = null;
        event = null;
        hasData = false;
        frameBytes = 0;
        return frame;
    }
}
