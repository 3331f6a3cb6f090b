package dev.lsr.consumer.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lsr.chunklog.RunSequencer;
import dev.lsr.consumer.testing.RecordingListener;
import dev.lsr.fixtures.LettaFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader's one sealed event. */
class ReplayEventTest {

    @TempDir
    Path dir;

    /** Keeps every event. */
    private static final class EventLog implements ReplayListener {
        final List<ReplayEvent> events = new ArrayList<>();

        @Override
        public void onEvent(ReplayEvent event) {
            events.add(event);
        }
    }

    @Test
    void aFileReplayIsChunksWithTheirVerdictsThenOneEnd() throws IOException {
        List<String> lines = new ArrayList<>(LettaFixtures.chunkLines("02-tool-call-two-steps"));
        lines.add(2, lines.get(1)); // a repeat, dropped by the sequencer but handed on as one
        Path file = Files.write(dir.resolve("run.jsonl"), lines);

        EventLog log = new EventLog();
        ChunkFileReader.read(List.of(file), RunFilter.all(), log);

        List<ReplayEvent> events = log.events;
        assertEquals(lines.size() + 1, events.size());
        assertEquals(
                RunSequencer.Verdict.DUPLICATE,
                assertInstanceOf(ReplayEvent.Chunk.class, events.get(2)).verdict());
        ReplayEvent.End end = assertInstanceOf(ReplayEvent.End.class, events.getLast());
        assertEquals(RunEnd.Outcome.ENDED_IN_CONTENT, end.end().outcome());
        assertNull(end.truncation());
        assertNotNull(
                assertInstanceOf(ReplayEvent.Chunk.class, events.getFirst())
                        .record()
                        .json(),
                "the chunk carries the tree the reader parsed");
    }

    @Test
    void deliveredIsTheLogWithoutRepeatsAndATruncatedEndCarriesItsProblem() throws IOException {
        List<String> lines = new ArrayList<>(LettaFixtures.chunkLines("07a-resume-initial-connection"));
        lines.add(1, lines.getFirst());
        Path file = Files.write(dir.resolve("run.jsonl"), lines);

        EventLog events = new EventLog();
        ChunkFileReader.read(List.of(file), RunFilter.all(), events);
        RecordingListener perKind = new RecordingListener();
        ChunkFileReader.read(List.of(file), RunFilter.all(), perKind);

        long delivered = events.events.stream()
                .filter(e -> e instanceof ReplayEvent.Chunk c && !c.isRepeat())
                .count();
        assertEquals(delivered, perKind.records.size());
        ReplayEvent.End end = assertInstanceOf(ReplayEvent.End.class, events.events.getLast());
        assertEquals(end.truncation(), perKind.problems.getLast());
        assertEquals(end.end(), perKind.ends.get(end.runId()));
    }
}
