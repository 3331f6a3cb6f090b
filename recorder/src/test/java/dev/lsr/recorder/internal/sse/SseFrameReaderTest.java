package dev.lsr.recorder.internal.sse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.fixtures.LettaFixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;
import okio.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class SseFrameReaderTest {

    static final List<String> RUNS = LettaFixtures.RUNS;

    @ParameterizedTest
    @FieldSource("RUNS")
    void everyFixturePayloadComesBackByteForByte(String run) throws IOException {
        List<SseFrame> frames = readAll(new SseFrameReader(bufferOf(LettaFixtures.sseBody(run))));
        assertPayloadsMatchChunkFile(run, frames);
    }

    @ParameterizedTest
    @FieldSource("RUNS")
    void framesSurviveArbitraryReadBoundaries(String run) throws IOException {
        BufferedSource trickle = Okio.buffer(new Pieces(LettaFixtures.sseBody(run), new Random(run.hashCode()), 40));
        assertPayloadsMatchChunkFile(run, readAll(new SseFrameReader(trickle)));
    }

    @Test
    void theErrorFrameOfFixture04KeepsItsEventName() throws IOException {
        List<SseFrame> frames = readAll(new SseFrameReader(bufferOf(LettaFixtures.sseBody("04-error-mid-run"))));
        SseFrame last = frames.getLast();
        assertEquals("error", last.event());
        assertTrue(last.isError());
        assertTrue(frames.subList(0, frames.size() - 1).stream().allMatch(f -> f.event() == null));
    }

    @Test
    void severalDataLinesAreJoinedWithNewlines() throws IOException {
        SseFrameReader reader = reader("data: first\ndata:second\ndata:  third\n\n");
        assertEquals("first\nsecond\n third", text(reader.next()));
        assertNull(reader.next());
    }

    @Test
    void commentsUnknownFieldsAndCrLfAreHandled() throws IOException {
        SseFrameReader reader =
                reader(": keepalive comment\r\nid: 7\r\nretry: 100\r\nevent: cancelled\r\ndata: {\"a\":1}\r\n\r\n");
        SseFrame frame = reader.next();
        assertEquals("cancelled", frame.event());
        assertEquals("{\"a\":1}", text(frame));
        assertNull(reader.next());
    }

    @Test
    void theEventNameDoesNotLeakIntoTheNextFrame() throws IOException {
        SseFrameReader reader = reader("event: error\ndata: x\n\ndata: y\n\n");
        assertEquals("error", reader.next().event());
        assertNull(reader.next().event());
    }

    @Test
    void framesWithoutDataAreNotDispatched() throws IOException {
        SseFrameReader reader = reader("event: error\n\n\n: only a comment\n\ndata: z\n\n");
        SseFrame frame = reader.next();
        assertEquals("z", text(frame));
        assertNull(frame.event(), "an event name without data must not survive the blank line");
    }

    /** The SSE specification ignores one byte order mark at the start of the stream; the first frame is kept. */
    @Test
    void aByteOrderMarkAtTheStartIsIgnored() throws IOException {
        SseFrameReader reader = reader("\uFEFFdata: {\"seq_id\":1}\n\ndata: {\"seq_id\":2}\n\n");
        assertEquals("{\"seq_id\":1}", text(reader.next()));
        assertEquals("{\"seq_id\":2}", text(reader.next()));
    }

    @Test
    void aDataFieldWithoutColonIsAnEmptyLine() throws IOException {
        SseFrameReader reader = reader("data\ndata: b\n\n");
        assertEquals("\nb", text(reader.next()));
    }

    @Test
    void donePayloadIsTheTerminator() throws IOException {
        SseFrameReader reader = reader("data: {}\n\ndata: [DONE]\n\n");
        assertEquals("{}", text(reader.next()));
        assertSame(SseFrame.DONE, reader.next());
        assertNull(reader.next());
    }

    @Test
    void aPartialFrameAtEndOfStreamIsDiscarded() throws IOException {
        SseFrameReader reader = reader("data: {\"complete\":true}\n\ndata: {\"cut\":");
        assertEquals("{\"complete\":true}", text(reader.next()));
        assertNull(reader.next());
        assertNull(reader("data: {\"no blank line\":1}\n").next());
    }

    @Test
    void bytesAreKeptExactlyEvenWhenTheyAreNotUtf8() throws IOException {
        byte[] body = concat(
                "data: ".getBytes(UTF_8), new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, "\n\n".getBytes(UTF_8));
        SseFrame frame = new SseFrameReader(bufferOf(body)).next();
        assertArrayEquals(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, frame.data());
    }

    @Test
    void anOversizedPayloadComesBackAsAPrefixWithItsFullSize() throws IOException {
        String big = "x".repeat(5000);
        SseFrameReader reader =
                new SseFrameReader(bufferOf(("data: " + big + "\ndata: tail\n\ndata: ok\n\n").getBytes(UTF_8)), 1024);
        SseFrame frame = reader.next();
        assertTrue(frame.isOversized());
        assertEquals(5000 + 1 + 4, frame.sizeBytes());
        assertEquals("x".repeat(SseFrameReader.PREFIX_BYTES), text(frame));
        assertEquals("ok", text(reader.next()), "the reader goes on after an oversized frame");
    }

    @Test
    void aPayloadThatGrowsPastTheLimitAcrossLinesIsCutToo() throws IOException {
        String line = "y".repeat(400);
        SseFrameReader reader = new SseFrameReader(
                bufferOf(("data: " + line + "\ndata: " + line + "\ndata: " + line + "\n\n").getBytes(UTF_8)), 1000);
        SseFrame frame = reader.next();
        assertTrue(frame.isOversized());
        assertEquals(1202, frame.sizeBytes());
        assertEquals(SseFrameReader.PREFIX_BYTES, frame.data().length);
    }

    @Test
    void anOversizedPayloadKeepsTheSeqFoundBeyondItsPrefix() throws IOException {
        String head = "{\"name\":\"" + "n".repeat(600) + "\",";
        SseFrameReader reader = new SseFrameReader(
                bufferOf(("data: " + head + "\"seq_id\": 77,\"x\":\"" + "x".repeat(3000) + "\"}\n\n" + "data: " + head
                                + "\ndata: \"seq_id\":78," + "y".repeat(2000) + "\n\ndata: {\"seq_id\":79}\n\n")
                        .getBytes(UTF_8)),
                1024);
        SseFrame oneLine = reader.next();
        SseFrame twoLines = reader.next();
        SseFrame small = reader.next();
        assertTrue(oneLine.isOversized());
        assertEquals(77L, oneLine.rawSeq(), "found in the bytes streamed past, not in the kept prefix");
        assertEquals(78L, twoLines.rawSeq());
        assertNull(small.oversizedSeq());
        assertEquals(79L, small.rawSeq());
    }

    @Test
    void aPayloadAtExactlyTheLimitIsNotOversized() throws IOException {
        String exact = "z".repeat(1000);
        SseFrame frame = new SseFrameReader(bufferOf(("data: " + exact + "\n\n").getBytes(UTF_8)), 1000).next();
        assertFalse(frame.isOversized());
        assertEquals(exact, text(frame));
    }

    @Test
    void anEndlessLineDoesNotExhaustMemory() throws IOException {
        Buffer body = new Buffer().writeUtf8("data: ");
        for (int i = 0; i < 64; i++) {
            body.writeUtf8("w".repeat(1024));
        }
        body.writeUtf8("\n\n: comment " + "c".repeat(3000) + "\ndata: after\n\n");
        SseFrameReader reader = new SseFrameReader(Okio.buffer((Source) body), 1024);
        SseFrame frame = reader.next();
        assertTrue(frame.isOversized());
        assertEquals(64 * 1024, frame.sizeBytes());
        assertEquals("after", text(reader.next()));
        assertNull(reader.next());
    }

    /**
     * An oversized line whose end lies past the first 8 KiB the reader looks at, with more bytes already read behind
     * it: its newline, and the frames after it, must not be taken into the oversized frame.
     */
    @Test
    void theFramesAfterAnOversizedLineAreKeptWhateverHasBeenReadAhead() throws IOException {
        byte[] body = ("data: {\"seq_id\":4}\n\ndata: {\"seq_id\":5,\"x\":\"" + "w".repeat(9000) + "\"}\n\n"
                        + "data: {\"seq_id\":6}\n\ndata: {\"seq_id\":7}\n\ndata: {\"seq_id\":8}\n\n")
                .getBytes(UTF_8);
        List<SseFrame> frames = readAll(new SseFrameReader(bufferOf(body), 1024));

        assertEquals(
                List.of(4L, 5L, 6L, 7L, 8L),
                frames.stream().map(SseFrame::rawSeq).toList());
        assertTrue(frames.get(1).isOversized());
        assertEquals(9000 + "{\"seq_id\":5,\"x\":\"\"}".length(), frames.get(1).sizeBytes());
    }

    /** The same whatever pieces the network hands the bytes out in, up to several times a segment. */
    @Test
    void oversizedLinesAmongFramesSurviveAnyReadBoundaries() throws IOException {
        Buffer stream = new Buffer();
        for (int seq = 1; seq <= 40; seq++) {
            String filler = seq % 7 == 3 ? "w".repeat(3000 + 1500 * (seq % 5)) : "";
            stream.writeUtf8("data: {\"seq_id\":" + seq + ",\"x\":\"" + filler + "\"}\n\n");
        }
        stream.writeUtf8("data: {\"message_type\":\"stop_reason\"}\n\ndata: [DONE]\n\n");
        byte[] body = stream.readByteArray();
        Random random = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            List<SseFrame> frames = readAll(
                    new SseFrameReader(Okio.buffer(new Pieces(body, random, 1 + random.nextInt(30_000))), 1024));
            assertEquals(42, frames.size(), "trial " + trial);
            for (int seq = 1; seq <= 40; seq++) {
                assertEquals(seq, frames.get(seq - 1).rawSeq(), "trial " + trial);
            }
            assertTrue(frames.getLast().isDone(), "trial " + trial);
        }
    }

    static void assertPayloadsMatchChunkFile(String run, List<SseFrame> frames) {
        List<String> lines = LettaFixtures.chunkLines(run);
        boolean endsWithDone = !frames.isEmpty() && frames.getLast().isDone();
        List<SseFrame> payloads = endsWithDone ? frames.subList(0, frames.size() - 1) : frames;
        assertEquals(lines.size(), payloads.size(), "frame count of " + run);
        for (int i = 0; i < lines.size(); i++) {
            assertArrayEquals(lines.get(i).getBytes(UTF_8), payloads.get(i).data(), run + " frame " + i);
        }
        assertEquals(new String(LettaFixtures.sseBody(run), UTF_8).contains("data: [DONE]"), endsWithDone);
    }

    static List<SseFrame> readAll(SseFrameReader reader) throws IOException {
        List<SseFrame> frames = new ArrayList<>();
        for (SseFrame frame = reader.next(); frame != null; frame = reader.next()) {
            frames.add(frame);
        }
        return frames;
    }

    private static SseFrameReader reader(String body) {
        return new SseFrameReader(bufferOf(body.getBytes(UTF_8)));
    }

    private static BufferedSource bufferOf(byte[] bytes) {
        return Okio.buffer((Source) new Buffer().write(bytes));
    }

    private static String text(SseFrame frame) {
        return new String(frame.data(), UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        Buffer buffer = new Buffer();
        for (byte[] part : parts) {
            buffer.write(part);
        }
        return buffer.readByteArray();
    }

    /** A source that hands out its bytes in random pieces of up to {@code largest} bytes (40: a slow network). */
    private static final class Pieces implements Source {
        private final Buffer remaining;
        private final Random random;
        private final int largest;

        Pieces(byte[] bytes, Random random, int largest) {
            this.remaining = new Buffer().write(bytes);
            this.random = random;
            this.largest = largest;
        }

        @Override
        public long read(Buffer sink, long byteCount) {
            if (remaining.size() == 0) {
                return -1;
            }
            long n = Math.min(remaining.size(), 1 + random.nextInt(largest));
            sink.write(remaining, n);
            return n;
        }

        @Override
        public Timeout timeout() {
            return Timeout.NONE;
        }

        @Override
        public void close() {}
    }
}
