package dev.lsr.consumer.projection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.Json;
import dev.lsr.fixtures.LettaFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;

/** The fixture runs as chunks, and how an expected case maps to drains. */
public final class Fixtures {

    public static final String SPLIT_SUFFIX = ".token-streaming-split";

    /** Numbers compare by value (an int 60 equals a long 60); everything else by equality. */
    public static final Comparator<JsonNode> NUMERIC_TOLERANT = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private Fixtures() {}

    public static List<Chunk> chunks(String run) {
        return LettaFixtures.chunkLines(run).stream()
                .filter(line -> !line.isBlank())
                .map(Chunk::fromJsonLine)
                .toList();
    }

    /** The runs a case is built from, in drain order: the run of that name, or {@code NNa, NNb, ...}. */
    public static List<String> drainRunsOf(String expectedCase) {
        String base = expectedCase.endsWith(SPLIT_SUFFIX)
                ? expectedCase.substring(0, expectedCase.length() - SPLIT_SUFFIX.length())
                : expectedCase;
        if (LettaFixtures.RUNS.contains(base)) {
            return List.of(base);
        }
        String prefix = base.substring(0, base.indexOf('-'));
        List<String> parts = LettaFixtures.RUNS.stream()
                .filter(run -> run.matches(java.util.regex.Pattern.quote(prefix) + "[a-z]-.*"))
                .sorted()
                .toList();
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no runs for case " + expectedCase);
        }
        return parts;
    }

    public static boolean tokenStreaming(String expectedCase) {
        return expectedCase.endsWith(SPLIT_SUFFIX);
    }

    public static JsonNode expected(String expectedCase) {
        try {
            return Json.MAPPER.readTree(LettaFixtures.expectedJson(expectedCase));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean jsonEquals(JsonNode expected, JsonNode actual) {
        return expected.equals(NUMERIC_TOLERANT, actual);
    }
}
