package dev.lsr.consumer.reader.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ByteLinesTest {

    private static List<String> lines(String text) throws IOException {
        ByteLines lines = new ByteLines(new ByteArrayInputStream(text.getBytes(UTF_8)));
        List<String> read = new ArrayList<>();
        for (byte[] line = lines.next(); line != null; line = lines.next()) {
            read.add(new String(line, UTF_8));
        }
        return read;
    }

    @Test
    void linesEndAtALineFeedWithoutTheCarriageReturnBeforeIt() throws IOException {
        assertEquals(List.of("a", "b", "", "c\rd", "e"), lines("a\r\nb\n\nc\rd\ne"));
        assertEquals(List.of("a"), lines("a\n"));
        assertEquals(List.of(), lines(""));
    }

    @Test
    void aLineLongerThanTheBufferIsOneLine() throws IOException {
        String longLine = "x".repeat(200_000);
        assertEquals(List.of(longLine, "y"), lines(longLine + "\ny\n"));
    }
}
