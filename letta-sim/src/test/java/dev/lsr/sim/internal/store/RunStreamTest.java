package dev.lsr.sim.internal.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunStreamTest {

    private static FrameSpec frame(int n) {
        return new FrameSpec(Frames.data("{\"n\":" + n + "}"), FrameKind.MESSAGE, null, null, false);
    }

    private static List<Long> seqs(RunStream.Slice slice) {
        return slice.entries().stream()
                .map(e -> ((StreamEntry.Stored) e).frame().seq())
                .toList();
    }

    @Test
    void keepsTheNewestEntriesAndAReaderGoesOnWithTheOldestLeft() throws Exception {
        RunStream stream = new RunStream("run-1", 1, 10);
        for (int i = 1; i <= 4; i++) {
            stream.store(frame(i));
        }
        RunStream.Slice first = stream.awaitFrom(0, 0);
        assertEquals(List.of(1L, 2L, 3L, 4L), seqs(first));
        for (int i = 5; i <= 15; i++) {
            stream.store(frame(i));
        }
        RunStream.Slice next = stream.awaitFrom(first.next(), 0);
        assertEquals(5, next.from(), "seq 5 was dropped before it was read: the reader skips to the oldest left");
        assertEquals(List.of(6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L), seqs(next));
        assertEquals(15, next.next());
        assertEquals(List.of(), stream.awaitFrom(next.next(), 0).entries());
        assertEquals(15, stream.frames().size(), "the run's stored frames stay listed");
        assertEquals(
                "data: {\"n\":15}\n\n", new String(stream.frames().getLast().bytes(), UTF_8));
    }

    @Test
    void zeroKeepsEverything() throws Exception {
        RunStream stream = new RunStream("run-1", 1, 0);
        for (int i = 1; i <= 50; i++) {
            stream.store(frame(i));
        }
        assertEquals(50, stream.awaitFrom(0, 0).entries().size());
    }
}
