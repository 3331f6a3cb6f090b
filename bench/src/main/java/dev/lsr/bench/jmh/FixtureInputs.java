package dev.lsr.bench.jmh;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.fixtures.LettaFixtures;
import java.util.List;

/** The recorded run the hot-path benchmarks work on: fixture 05, a long run with pings (386 chunks, 146 KB of SSE). */
public final class FixtureInputs {

    /** The fixture every JMH benchmark reads. */
    public static final String RUN = "05-long-run-with-pings";

    private FixtureInputs() {}

    /** The exact SSE response body. */
    public static byte[] sseBody() {
        return LettaFixtures.sseBody(RUN);
    }

    /** Every chunk's {@code data:} payload, in arrival order, as exact bytes. */
    public static List<byte[]> chunkPayloads() {
        return LettaFixtures.chunkLines(RUN).stream()
                .map(line -> line.getBytes(UTF_8))
                .toList();
    }
}
