package dev.lsr.consumer.analytics.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.consumer.analytics.SummaryRunFold;
import dev.lsr.consumer.projection.SyntheticLog;
import dev.lsr.consumer.projection.summary.RunSummaries;
import dev.lsr.consumer.projection.summary.RunSummary;
import dev.lsr.consumer.projection.summary.RunSummaryFold;
import dev.lsr.consumer.reader.ReplayEvents;
import dev.lsr.fixtures.LettaFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden files of the summary topic ({@code src/test/resources/golden/v1/}): the record the analytics job
 * writes for a run, as key, value (the {@link RunSummary} JSON) and the {@value SummaryRecords#STATE_HEADER}
 * header (the fold state, {@code RunSummaryState} JSON, what a restarted job continues from).
 *
 * <p>Checked on the exact bytes: folding the same synthetic run today and writing it with the job's own
 * {@link SummaryRecords} gives exactly the golden key, header and value bytes; reading the golden record
 * back gives a fold whose saved state and value are the same bytes again, and which, given the rest of
 * the run, ends exactly where an uninterrupted fold ends. So a refactoring may change the Java types
 * behind the state, but not one byte of the topic, and a job of the new code continues from a state
 * the old code saved.
 *
 * <p>Written once from today's code and frozen like the chunk-log's golden records: a failure means the
 * summary or fold-state format changed, which needs an explicit version step ({@code RunSummaryState.VERSION},
 * docs/run-summary.md), not a new golden file. A missing sample is created with {@code -Dgolden.create=true}
 * (never overwrites).
 */
class GoldenSummaryRecordsTest {

    private static final String ROOT = "golden/v1/";
    private static final Path SOURCE_ROOT = Path.of("src/test/resources", ROOT);
    private static final String TOPIC = "letta.chunks.summaries";
    private static final Instant T0 = Instant.parse("2026-03-14T17:32:11.000250Z");
    private static final Duration STEP = Duration.ofMillis(50);
    private static final String LONG_RUN = "run-4ca67353-d824-444b-81c1-56cf264ca243";
    private static final String TOOL_RUN = "run-780c4b16-a510-49fa-a2b2-bbd1c38dbe31";
    private static final String GONE_RUN = "run-0d9e8f7a-6b5c-4d3e-9f2a-1b0c9d8e7f6a";
    /** The long run is cut after this many records: right after its first seq-less chunk. */
    private static final int MIDWAY = midway();

    /** A run with a bit of everything a summary counts: resume, recorded gap, duplicates, rejected and unreadable records. */
    private static List<ChunkLogRecord> eventfulRun() {
        List<String> lines = LettaFixtures.chunkLines("02-tool-call-two-steps");
        return new SyntheticLog(TOOL_RUN, T0)
                .attached()
                .chunks(lines.subList(0, 20), STEP)
                .connectionError()
                .after(Duration.ofMillis(700))
                .resumed(2, 19, "error_frame")
                .chunks(lines.subList(17, 20), STEP)
                .rejected("malformed_json", "{\"message_type\":\"assistant_mess")
                .garbageChunk("not json at all")
                .gap(22, 23L, "trimmed")
                .chunks(lines.subList(23, lines.size()), Duration.ofMillis(7))
                .after(Duration.ofMillis(10))
                .finished("end_turn", "completed")
                .records();
    }

    /** The long run with pings, fully: the continuation of {@link #MIDWAY}. */
    private static List<ChunkLogRecord> longRun() {
        return new SyntheticLog(LONG_RUN, T0)
                .attached()
                .chunks(LettaFixtures.chunkLines("05-long-run-with-pings"), STEP)
                .after(Duration.ofMillis(3))
                .finished("end_turn", "completed")
                .records();
    }

    /** A run refused at first contact: one {@code run.gone} record and nothing else (most summary fields null). */
    private static List<ChunkLogRecord> goneRun() {
        LifecycleEvent gone = new LifecycleEvent.RunRefused(RecordType.RUN_GONE, 404, "Run not found");
        return List.of(new ChunkLogRecord(
                Envelope.recorderRecord(
                        RecordType.RUN_GONE,
                        GONE_RUN + "/gone/1",
                        SyntheticLog.SOURCE,
                        GONE_RUN,
                        Position.START,
                        T0,
                        null,
                        null),
                gone.toJson()));
    }

    private static List<ChunkLogRecord> records(String sample) {
        return switch (sample) {
            case "summary-eventful" -> eventfulRun();
            case "summary-midway" -> longRun().subList(0, MIDWAY);
            case "summary-gone" -> goneRun();
            default -> throw new IllegalArgumentException(sample);
        };
    }

    private static String runId(String sample) {
        return switch (sample) {
            case "summary-eventful" -> TOOL_RUN;
            case "summary-midway" -> LONG_RUN;
            default -> GONE_RUN;
        };
    }

    /** The one place this test folds records: adapt it, and nothing else, when the fold's input type changes. */
    private static RunSummaryFold fold(RunSummaryFold fold, List<ChunkLogRecord> records) {
        return fold.applyAll(ReplayEvents.of(records));
    }

    @ParameterizedTest
    @ValueSource(strings = {"summary-eventful", "summary-midway", "summary-gone"})
    void writingTodaysFoldGivesTheGoldenRecord(String sample) {
        RunSummaryFold folded = fold(new RunSummaryFold(), records(sample));
        ProducerRecord<byte[], byte[]> written =
                SummaryRecords.toRecord(TOPIC, 0, runId(sample), folded, new SummaryRunFold());
        Wire golden = golden(sample, Wire.of(written.key(), written.headers(), written.value()));
        assertEquals(
                golden.text(),
                Wire.of(written.key(), written.headers(), written.value()).text(),
                sample);
        assertArrayEquals(golden.value(), written.value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"summary-eventful", "summary-midway", "summary-gone"})
    void readingTheGoldenRecordGivesTheSameBytesBack(String sample) {
        Wire golden = golden(sample, null);
        SummaryRunFold codec = new SummaryRunFold();
        Map.Entry<String, RunSummaryFold> restored = SummaryRecords.fromRecord(golden.consumerRecord(), codec);
        assertEquals(runId(sample), restored.getKey());
        Wire again = new Wire(
                golden.key(),
                List.of(Map.entry(SummaryRecords.STATE_HEADER, codec.saveState(restored.getValue()))),
                codec.value(restored.getValue()));
        assertEquals(golden.text(), again.text());
        assertEquals(RunSummaries.fromJson(golden.value()), restored.getValue().summary());
    }

    @Test
    void aJobContinuingFromTheGoldenMidwayStateEndsWhereAnUninterruptedFoldEnds() {
        SummaryRunFold codec = new SummaryRunFold();
        RunSummaryFold restored = SummaryRecords.fromRecord(
                        golden("summary-midway", null).consumerRecord(), codec)
                .getValue();
        List<ChunkLogRecord> all = longRun();
        RunSummaryFold continued = fold(restored, all.subList(MIDWAY, all.size()));
        RunSummaryFold uninterrupted = fold(new RunSummaryFold(), all);
        assertEquals(new String(codec.saveState(uninterrupted), UTF_8), new String(codec.saveState(continued), UTF_8));
        assertEquals(new String(codec.value(uninterrupted), UTF_8), new String(codec.value(continued), UTF_8));
    }

    @Test
    void theGoldenEventfulSummaryReadsAsTheseValues() {
        RunSummary s = RunSummaries.fromJson(golden("summary-eventful", null).value());
        assertEquals(TOOL_RUN, s.runId());
        assertEquals(SyntheticLog.AGENT, s.agentId());
        assertEquals(SyntheticLog.CONVERSATION, s.conversationId());
        assertEquals("completed", s.status());
        assertEquals("end_turn", s.stopReason());
        assertEquals(T0, s.startedAt());
        assertEquals(Map.of("web_search", 1L), s.toolCallsByName());
        assertEquals(1, s.resumeCount());
        assertEquals(3, s.duplicateCount());
        assertEquals(1, s.rejectedChunkCount());
        assertEquals(1, s.unreadableRecordCount());
        assertEquals(2, s.gapCount(), "seq 21 found missing right before the recorded gap 22..23");
        assertEquals(3, s.missingPositions());
        assertEquals(4160, s.inputTokens());
        assertNull(s.cacheWriteTokens());
    }

    @Test
    void theGoldenStateHeaderIsVersionOneSnakeCaseJson() throws IOException {
        JsonNode state = Json.MAPPER.readTree(golden("summary-midway", null).header(SummaryRecords.STATE_HEADER));
        assertEquals(1, state.get("version").asInt());
        assertEquals(LONG_RUN, state.get("run_id").asText());
        assertEquals(
                List.of("highest_seq", "highest_sub", "any_seen", "last_visible_seq", "seq_less_since"),
                iterableToList(state.get("positions").fieldNames()));
    }

    private static List<String> iterableToList(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    private static int midway() {
        List<ChunkLogRecord> all = longRun();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).envelope().isChunk() && all.get(i).position().sub() > 0) {
                return i + 1;
            }
        }
        throw new IllegalStateException("the long run has no seq-less chunk");
    }

    private static Wire golden(String name, Wire candidate) {
        String resource = ROOT + name + ".json";
        try (InputStream in = GoldenSummaryRecordsTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in != null) {
                return Wire.parse(Json.MAPPER.readTree(in));
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

    /** A summary-topic record as the broker holds it: key, headers in order, value. */
    private record Wire(byte[] key, List<Map.Entry<String, byte[]>> headers, byte[] value) {

        static Wire of(byte[] key, Iterable<Header> headers, byte[] value) {
            List<Map.Entry<String, byte[]>> list = new ArrayList<>();
            headers.forEach(h -> list.add(Map.entry(h.key(), h.value())));
            return new Wire(key, list, value);
        }

        static Wire parse(JsonNode file) {
            List<Map.Entry<String, byte[]>> headers = new ArrayList<>();
            for (Map.Entry<String, JsonNode> header : file.get("headers").properties()) {
                headers.add(
                        Map.entry(header.getKey(), header.getValue().textValue().getBytes(UTF_8)));
            }
            return new Wire(
                    file.get("key").textValue().getBytes(UTF_8),
                    headers,
                    file.get("value").textValue().getBytes(UTF_8));
        }

        byte[] header(String name) {
            return headers.stream()
                    .filter(h -> h.getKey().equals(name))
                    .findFirst()
                    .orElseThrow()
                    .getValue();
        }

        String text() {
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

        ConsumerRecord<byte[], byte[]> consumerRecord() {
            RecordHeaders recordHeaders = new RecordHeaders();
            headers.forEach(h -> recordHeaders.add(h.getKey(), h.getValue()));
            return new ConsumerRecord<>(
                    TOPIC, 0, 0L, 0L, TimestampType.CREATE_TIME, 0, 0, key, value, recordHeaders, Optional.empty());
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
}
