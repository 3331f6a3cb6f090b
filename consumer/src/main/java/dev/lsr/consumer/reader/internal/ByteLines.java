package dev.lsr.consumer.reader.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The lines of a stream as bytes, not yet decoded, so that one line that is no UTF-8 spoils only itself: a line
 * ends at a line feed, and a carriage return right before it is dropped (a lone carriage return stays in its line).
 */
public final class ByteLines {

    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private int start;
    private int end;

    public ByteLines(InputStream in) {
        this.in = in;
    }

    /** The next line without its end, or null at the end of the stream. */
    public byte[] next() throws IOException {
        line.reset();
        while (true) {
            if (start == end && !fill()) {
                return line.size() == 0 ? null : withoutCarriageReturn(line.toByteArray());
            }
            for (int i = start; i < end; i++) {
                if (buffer[i] == '\n') {
                    line.write(buffer, start, i - start);
                    start = i + 1;
                    return withoutCarriageReturn(line.toByteArray());
                }
            }
            line.write(buffer, start, end - start);
            start = end;
        }
    }

    private boolean fill() throws IOException {
        int read = in.read(buffer);
        start = 0;
        end = Math.max(read, 0);
        return read > 0;
    }

    private static byte[] withoutCarriageReturn(byte[] bytes) {
        int length = bytes.length;
        return length > 0 && bytes[length - 1] == '\r' ? Arrays.copyOf(bytes, length - 1) : bytes;
    }
}
