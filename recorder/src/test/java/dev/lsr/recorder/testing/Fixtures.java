package dev.lsr.recorder.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.fixtures.LettaFixtures;

/** Facts about the fixture runs that tests need. */
public final class Fixtures {

    private Fixtures() {}

    /** The run id of a fixture (from its first chunk that names one). */
    public static String runId(String fixture) {
        for (String line : LettaFixtures.chunkLines(fixture)) {
            String id = ChunkPeek.of(line.getBytes(UTF_8)).runId();
            if (id != null) {
                return id;
            }
        }
        throw new IllegalArgumentException(fixture + " names no run");
    }
}
