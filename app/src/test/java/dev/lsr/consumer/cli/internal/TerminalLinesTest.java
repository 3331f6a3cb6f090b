package dev.lsr.consumer.cli.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.Position;
import dev.lsr.consumer.reader.LogLocation;
import dev.lsr.consumer.reader.ReadProblem;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.reader.RunRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the CLI prints line by line (follow, problems, tables) shows a chunk's control characters, never sends them. */
class TerminalLinesTest {

    private static final String ESCAPES = "\u001b[2J\u001b]52;c;aGk=\u0007\r\nx\u009b";
    private static final String SHOWN = "\\u001b[2J\\u001b]52;c;aGk=\\u0007\\u000d\\u000ax\\u009b";

    @Test
    void followShowsAnErrorFramesControlCharacters() {
        ChunkLogRecord record = new ChunkLogRecord(
                Envelope.chunk("test", "run-1", Position.ofSeq(3), "error", Instant.EPOCH, null, null),
                "{\"message_type\":\"error_message\",\"error_type\":\"internal_error\",\"message\":\"boom \\u001b[2J\\u001b]52;c;aGk=\\u0007\\r\\nx\\u009b\"}"
                        .getBytes(UTF_8));
        RunRecord read =
                new RunRecord(LogLocation.kafka("t", 0, 3), record, new ChunkPeek("error_message", "run-1", 3L), null);
        String line = new RunEventLines().lineFor(read);
        assertEquals("1970-01-01T00:00:00Z  run-1  error type=internal_error message=boom " + SHOWN, line);
    }

    @Test
    void followAndWarningsShowAProblemsControlCharacters() {
        ReadProblem problem = new ReadProblem(
                ReadProblem.Kind.UNKNOWN_MESSAGE_TYPE, "run-1", LogLocation.kafka("t", 0, 3), "type " + ESCAPES);
        assertEquals(
                "problem  unknown message type run-1 at " + problem.location() + ": type " + SHOWN,
                RunEventLines.lineFor(problem));

        StringWriter err = new StringWriter();
        new ProblemReporter(event -> {}, new PrintWriter(err), () -> {}).onEvent(new ReplayEvent.Unreadable(problem));
        assertEquals(
                "consumer: warning: unknown message type run-1 at " + problem.location() + ": type " + SHOWN,
                err.toString().strip());
    }

    @Test
    void tablesShowControlCharactersInTheirCells() {
        StringWriter out = new StringWriter();
        new TextTable("RUN", "STOP REASON").row("run-1", ESCAPES).print(new PrintWriter(out));
        assertTrue(out.toString().contains("run-1  " + SHOWN), out.toString());
        assertEquals(2, out.toString().lines().count(), out.toString());
    }
}
