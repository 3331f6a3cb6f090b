package dev.lsr.consumer.projection.summary;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.IntCountsHistogram;

/**
 * Inter-chunk gaps in microseconds: an auto-resizing HdrHistogram with 2 significant digits (values are
 * reported within 1%), serialised in HdrHistogram's compressed encoding as Base64.
 */
final class GapHistogram {

    private static final int SIGNIFICANT_DIGITS = 2;

    private final IntCountsHistogram histogram;

    GapHistogram() {
        this.histogram = new IntCountsHistogram(SIGNIFICANT_DIGITS);
    }

    private GapHistogram(IntCountsHistogram histogram) {
        this.histogram = histogram;
        this.histogram.setAutoResize(true);
    }

    static GapHistogram decode(String base64) {
        if (base64 == null || base64.isEmpty()) {
            return new GapHistogram();
        }
        try {
            return new GapHistogram(IntCountsHistogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0));
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new IllegalArgumentException("unreadable gap histogram: " + e.getMessage(), e);
        }
    }

    String encode() {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    void record(long micros) {
        histogram.recordValue(Math.max(0, micros));
    }

    boolean isEmpty() {
        return histogram.getTotalCount() == 0;
    }

    /** The value at a percentile, in milliseconds (the middle of its histogram bucket), or null when empty. */
    Double percentileMillis(double percentile) {
        if (isEmpty()) {
            return null;
        }
        long value = histogram.getValueAtPercentile(percentile);
        return histogram.medianEquivalentValue(value) / 1000.0;
    }
}
