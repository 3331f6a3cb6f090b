package dev.lsr.chunklog.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.chunklog.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * A record as the broker holds it (key, headers in order, value), and the frozen golden files that
 * hold such records ({@code src/test/resources/golden/v1/NAME.json}): the one helper of the golden
 * tests of chunk-log and consumer (shared through chunk-log's test jar).
 */
public record GoldenWire(byte[] key, List<Map.Entry<String, byte[]>> headers, byte[] value) {

    /** Where golden files live, as a class-path resource folder. */
    public static final String ROOT = "golden/v1/";

    /** The same folder in the module's sources, where a new golden file is created. */
    public static final Path SOURCE_ROOT = Path.of("src/test/resources", ROOT);

    public static GoldenWire of(byte[] key, Iterable<Header> headers, byte[] value) {
        List<Map.Entry<String, byte[]>> list = new ArrayList<>();
        headers.forEach(h -> list.add(Map.entry(h.key(), h.value())));
        return new GoldenWire(key, list, value);
    }

    /**
     * The golden record {@code name}, read from the class path of {@code test}. When it does not exist:
     * with {@code -Dgolden.create=true} and a {@code candidate}, writes the candidate (and fails, so the
     * new file is reviewed); else fails naming the file.
     */
    public static GoldenWire golden(Class<?> test, String name, GoldenWire candidate) {
        String resource = ROOT + name + ".json";
        try (InputStream in = test.getClassLoader().getResourceAsStream(resource)) {
            if (in != null) {
                return parse(Json.MAPPER.readTree(in));
            }
            Path file = SOURCE_ROOT.resolve(name + ".json");
            if (candidate != null && Boolean.getBoolean("golden.create") && !Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, candidate.fileText());
                fail("created golden file " + file + ": review it and commit it; golden files are never rewritten");
            }
            return fail("no golden file " + resource + " (golden files are frozen; a new sample is created with"
                    + " -Dgolden.create=true)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GoldenWire parse(JsonNode file) {
        List<Map.Entry<String, byte[]>> headers = new ArrayList<>();
        for (Map.Entry<String, JsonNode> header : file.get("headers").properties()) {
            headers.add(Map.entry(header.getKey(), header.getValue().textValue().getBytes(UTF_8)));
        }
        return new GoldenWire(
                file.get("key").textValue().getBytes(UTF_8),
                headers,
                file.get("value").textValue().getBytes(UTF_8));
    }

    /** The value of the first header {@code name}. */
    public byte[] header(String name) {
        return headers.stream()
                .filter(h -> h.getKey().equals(name))
                .findFirst()
                .orElseThrow()
                .getValue();
    }

    /** One line per part, each value's exact bytes as UTF-8 text: compared for a readable failure. */
    public String text() {
        StringBuilder out =
                new StringBuilder("key ").append(new String(key, UTF_8)).append('\n');
        for (Map.Entry<String, byte[]> header : headers) {
            out.append("header ")
                    .append(header.getKey())
                    .append(": ")
                    .append(new String(header.getValue(), UTF_8))
                    .append('\n');
        }
        return out.append("value ")
                .append(new String(value, UTF_8))
                .append('\n')
                .toString();
    }

    /** The record as a consumer reads it from {@code topic}. */
    public ConsumerRecord<byte[], byte[]> consumerRecord(String topic) {
        RecordHeaders recordHeaders = new RecordHeaders();
        headers.forEach(h -> recordHeaders.add(h.getKey(), h.getValue()));
        return new ConsumerRecord<>(
                topic, 0, 0L, 0L, TimestampType.CREATE_TIME, 0, 0, key, value, recordHeaders, Optional.empty());
    }

    String fileText() throws IOException {
        ObjectNode file = Json.MAPPER.createObjectNode();
        file.put("key", new String(key, UTF_8));
        ObjectNode headerNode = file.putObject("headers");
        headers.forEach(h -> headerNode.put(h.getKey(), new String(h.getValue(), UTF_8)));
        file.put("value", new String(value, UTF_8));
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(file) + "\n";
    }
}
