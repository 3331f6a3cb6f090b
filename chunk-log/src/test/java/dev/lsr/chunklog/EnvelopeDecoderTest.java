package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogFormat.Headers;
import dev.lsr.chunklog.EnvelopeDecoder.AsciiFields;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The read path's fast parsers agree with the general ones, and fall back on anything else. */
class EnvelopeDecoderTest {

    @Test
    void fastTimeParseAgreesWithInstantParseOnWhatInstantWrites() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(
                    random.nextLong(-62_000_000_000L, 253_000_000_000L),
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1000;
                        default -> random.nextInt(1_000_000_000);
                    });
            String text = instant.toString();
            Instant fast = AsciiFields.instant(text.getBytes(UTF_8));
            if (fast != null) {
                assertEquals(Instant.parse(text), fast, text);
            }
        }
        assertEquals(
                Instant.parse("2026-03-14T17:24:20.011937Z"),
                AsciiFields.instant(ascii("2026-03-14T17:24:20.011937Z")));
        assertEquals(Instant.parse("2024-02-29T23:59:59Z"), AsciiFields.instant(ascii("2024-02-29T23:59:59Z")));
        assertEquals(Instant.parse("2026-03-14T17:24:20.1Z"), AsciiFields.instant(ascii("2026-03-14T17:24:20.1Z")));
    }

    @Test
    void fastTimeParseLeavesEverythingElseToTheGeneralParser() {
        for (String text : List.of(
                "2026-02-29T10:00:00Z",
                "2026-13-01T10:00:00Z",
                "2026-03-14T24:00:00Z",
                "2026-03-14T23:59:60Z",
                "2026-03-14T17:24:20.Z",
                "2026-03-14T17:24:20.0119370001Z",
                "2026-03-14T17:24:20+01:00",
                "+12026-03-14T17:24:20Z",
                "2026-03-14 17:24:20Z",
                "2026-3-14T17:24:20Z",
                "2026-03-14T17:24:2aZ",
                "yesterday",
                "")) {
            assertNull(AsciiFields.instant(ascii(text)), text);
        }
    }

    @Test
    void fastPositionParseAgreesWithPositionParse() {
        for (String text : List.of("0", "3", "380", "380.2", "26.0", "999999999999999999", "7.999999999")) {
            assertEquals(Position.parse(text), AsciiFields.position(ascii(text)), text);
        }
        for (String text : List.of(
                "", ".", "3.", ".2", "+3", "-3", "3.2.1", "three", "1234567890123456789", "3.1234567890", "3 ")) {
            assertNull(AsciiFields.position(ascii(text)), text);
        }
    }

    /**
     * {@code ce_time} is an RFC 3339 time (CloudEvents), whose year has four digits. Java's parser also takes
     * expanded years ({@code +300000000-...}); such a time read as valid made a reader's durations overflow (the
     * analytics job stopped on it for good).
     */
    @Test
    void aTimeWithAnExpandedYearIsUnreadable() {
        for (String text : List.of("+300000000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z")) {
            RecordHeaders headers = EnvelopeHeaders.write(
                    Envelope.chunk("src", "run-1", Position.ofSeq(3), null, Instant.EPOCH, null, null));
            headers.remove(Headers.TIME);
            headers.add(Headers.TIME, ascii(text));
            assertEquals(
                    "bad " + Headers.TIME + " header: '" + text
                            + "' is no RFC 3339 time (its year has not four digits)",
                    assertThrows(UnreadableRecordException.class, () -> EnvelopeHeaders.read(headers))
                            .getMessage(),
                    text);
        }
    }

    @Test
    void badValuesStillFailWithTheGeneralParsersReasons() {
        RecordHeaders badTime = EnvelopeHeaders.write(
                Envelope.chunk("src", "run-1", Position.ofSeq(3), null, Instant.EPOCH, null, null));
        badTime.remove(Headers.TIME);
        badTime.add(Headers.TIME, ascii("2026-02-30T10:00:00Z"));
        assertTrue(assertThrows(UnreadableRecordException.class, () -> EnvelopeHeaders.read(badTime))
                .getMessage()
                .startsWith("bad " + Headers.TIME + " header: "));

        RecordHeaders badVersion = EnvelopeHeaders.write(
                Envelope.chunk("src", "run-1", Position.ofSeq(3), null, Instant.EPOCH, null, null));
        badVersion.remove(Headers.FORMAT_VERSION);
        badVersion.add(Headers.FORMAT_VERSION, ascii("v1"));
        assertEquals(
                "bad " + Headers.FORMAT_VERSION + " header 'v1'",
                assertThrows(UnreadableRecordException.class, () -> EnvelopeHeaders.read(badVersion))
                        .getMessage());

        RecordHeaders negative = EnvelopeHeaders.write(
                Envelope.chunk("src", "run-1", Position.ofSeq(3), null, Instant.EPOCH, null, null));
        negative.remove(Headers.POSITION);
        negative.add(Headers.POSITION, ascii("-3"));
        assertTrue(assertThrows(UnreadableRecordException.class, () -> EnvelopeHeaders.read(negative))
                .getMessage()
                .contains(Headers.POSITION));
    }

    /** Versions start at 1: a 0, a negative or a signed number is no version any writer wrote. */
    @Test
    void aFormatVersionBelowOneIsUnreadable() {
        for (String version : List.of("0", "-1", "+1", "00")) {
            RecordHeaders headers = EnvelopeHeaders.write(
                    Envelope.chunk("src", "run-1", Position.ofSeq(3), null, Instant.EPOCH, null, null));
            headers.remove(Headers.FORMAT_VERSION);
            headers.add(Headers.FORMAT_VERSION, ascii(version));
            assertEquals(
                    "bad " + Headers.FORMAT_VERSION + " header '" + version + "'",
                    assertThrows(UnreadableRecordException.class, () -> EnvelopeHeaders.read(headers))
                            .getMessage(),
                    version);
        }
    }

    @Test
    void theLastNonNullValueOfARepeatedHeaderWins() {
        Envelope envelope = Envelope.chunk("src", "run-1", Position.ofSeq(3), "error", Instant.EPOCH, "a", "c");
        RecordHeaders headers = EnvelopeHeaders.write(envelope);
        headers.add(Headers.POSITION, ascii("4.1"));
        headers.add(Headers.POSITION, null);
        headers.add(Headers.SSE_EVENT, ascii("cancelled"));
        Envelope read = EnvelopeHeaders.read(headers);
        assertEquals(new Position(4, 1), read.position());
        assertEquals("cancelled", read.sseEvent());
        assertEquals("run-1/3", read.id());
    }

    private static byte[] ascii(String text) {
        return text.getBytes(UTF_8);
    }
}
