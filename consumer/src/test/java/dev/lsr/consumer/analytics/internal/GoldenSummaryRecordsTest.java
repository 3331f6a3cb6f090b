package dev.lsr.consumer.analytics.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.testing.GoldenWire;
import dev.lsr.consumer.analytics.SummaryRunFold;
import dev.lsr.consumer.projection.SyntheticLog;
import dev.lsr.consumer.projection.summary.RunSummaries;
import dev.lsr.consumer.projection.summary.RunSummary;
import dev.lsr.consumer.projection.summary.RunSummaryFold;
import dev.lsr.consumer.reader.ReplayEvents;
import dev.lsr.fixtures.LettaFixtures;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
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
        ProducerRecord<byte[], byte[]> written = SummaryRecords.toRecord(
                TOPIC, 0, runId(sample), folded, new SummaryRunFold(), new ConsumedPosition(42, null));
        // the job's consumed position rides along on every record; the golden record is the run's
        assertEquals(
                "42",
                new String(
                        written.headers()
                                .lastHeader(SummaryRecords.CONSUMED_HEADER)
                                .value(),
                        java.nio.charset.StandardCharsets.UTF_8));
        written.headers().remove(SummaryRecords.CONSUMED_HEADER);
        GoldenWire golden = golden(sample, GoldenWire.of(written.key(), written.headers(), written.value()));
        assertEquals(
                golden.text(),
                GoldenWire.of(written.key(), written.headers(), written.value()).text(),
                sample);
        assertArrayEquals(golden.value(), written.value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"summary-eventful", "summary-midway", "summary-gone"})
    void readingTheGoldenRecordGivesTheSameBytesBack(String sample) {
        GoldenWire golden = golden(sample, null);
        SummaryRunFold codec = new SummaryRunFold();
        Map.Entry<String, RunSummaryFold> restored = SummaryRecords.fromRecord(golden.consumerRecord(TOPIC), codec);
        assertEquals(runId(sample), restored.getKey());
        GoldenWire again = new GoldenWire(
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
                        golden("summary-midway", null).consumerRecord(TOPIC), codec)
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

    private static GoldenWire golden(String name, GoldenWire candidate) {
        return GoldenWire.golden(GoldenSummaryRecordsTest.class, name, candidate);
    }
}
