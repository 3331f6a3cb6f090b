package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.testing.GoldenWire;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files of chunk-log format version 1 ({@code src/test/resources/golden/v1/}): one frozen record
 * of every record type (each chunk form and each recorder record type), the checkpoint record and the
 * layout record, as key, headers (in order) and value.
 *
 * <p>Both directions are checked on the <em>wire bytes</em>, not on a re-rendered file: writing today's
 * value objects must give exactly the golden key, the golden headers (names, order, value bytes) and the
 * golden value bytes (the JSON's field order and number forms included); reading the golden bytes must
 * give today's value objects. The files' own layout (indentation, escaping) is irrelevant, so a Jackson
 * upgrade that pretty-prints differently cannot fail this test, while any change of a byte a reader sees does.
 *
 * <p>The files were written once from the code of format version 1 and are frozen: a test failure here
 * means the format changed, which is a new format version (docs/record-format.md, "Versioning"), not a
 * new golden file. Only a sample that does not exist yet can be created: run the test with
 * {@code -Dgolden.create=true} (it never overwrites) and review the new file.
 */
class GoldenRecordsTest {

    private static final String CHUNK_TOPIC = "letta.chunks";
    private static final String CHECKPOINT_TOPIC = "letta.chunks.checkpoints";

    private static final String RUN = "run-4ca67353-d824-444b-81c1-56cf264ca243";
    private static final String ERROR_RUN = "run-e4039782-67e5-43c9-ae73-35a01662e2ce";
    private static final String SOURCE = "http://127.0.0.1:8283";
    private static final String AGENT = "agent-5b8f0d3e-5d6e-4a7c-9a8f-1c2d3e4f5a6b";
    private static final String CONVERSATION = "conv-0c2e4b1a-7f3d-4e5c-8a9b-0d1e2f3a4b5c";
    private static final Instant MICROS = Instant.parse("2026-03-14T17:33:52.120431Z");
    private static final Instant MILLIS = Instant.parse("2026-03-14T17:34:00.120Z");
    private static final Instant NANOS = Instant.parse("2026-03-14T17:35:02.500000001Z");
    private static final Instant SECONDS = Instant.parse("2026-03-14T17:40:00Z");

    /** A record of the chunk topic: its envelope and, for a recorder record, the value object it was written from. */
    private record ChunkTopicSample(String name, Envelope envelope, byte[] payload, LifecycleEvent event) {
        byte[] value() {
            return event == null ? payload : event.toJson();
        }
    }

    static List<ChunkTopicSample> chunkTopicSamples() {
        List<ChunkTopicSample> samples = new ArrayList<>();
        samples.add(chunk(
                "chunk",
                Envelope.chunk(SOURCE, RUN, Position.ofSeq(2), null, MICROS, AGENT, CONVERSATION),
                "{\"id\":\"message-7387da67\",\"date\":\"2026-03-14T17:09:11+00:00\",\"name\":null,"
                        + "\"message_type\":\"assistant_message\",\"otid\":\"7387da67-00\",\"seq_id\":2,\"run_id\":\""
                        + RUN
                        + "\",\"content\":\"Lisboa: ☀ 22 °C, vento fraco\"}"));
        samples.add(chunk(
                "chunk-sub-position-verbatim-spacing",
                Envelope.chunk(SOURCE, RUN, new Position(380, 2), null, NANOS, null, null),
                "{\"message_type\": \"stop_reason\", \"stop_reason\": \"cancelled\"}"));
        samples.add(chunk(
                "chunk-error-event",
                Envelope.chunk(
                        SOURCE,
                        ERROR_RUN,
                        Position.ofSeq(29),
                        "error",
                        Instant.parse("2026-03-14T17:24:20.011937Z"),
                        AGENT,
                        CONVERSATION),
                "{\"message_type\":\"error_message\",\"run_id\":\"" + ERROR_RUN
                        + "\",\"error_type\":\"internal_error\","
                        + "\"message\":\"An error occurred during agent execution.\",\"seq_id\":29}"));
        samples.add(recorder(
                "chunk-rejected",
                RecordType.CHUNK_REJECTED,
                RUN + "/rejected/42",
                Position.ofSeq(42),
                new LifecycleEvent.ChunkRejected(
                        "malformed_json",
                        "chunk is not valid JSON: Unexpected end-of-input",
                        "message",
                        57,
                        "{\"message_type\":\"assistant_message\",\"seq_id\":42,\"content\":\"unterminat")));
        samples.add(
                recorder(
                        "run-attached",
                        RecordType.RUN_ATTACHED,
                        RUN + "/attached/0b9d3c1e-2f4a-4b5c-8d6e-7f8091a2b3c4",
                        Position.START,
                        new LifecycleEvent.RunAttached(
                                "watch",
                                0,
                                json(
                                        "{\"id\":\"" + RUN + "\",\"status\":\"running\","
                                                + "\"created_at\":\"2026-03-14T17:32:10.512034Z\",\"agent_id\":\"agent-5b8f0d3e\","
                                                + "\"conversation_id\":\"conv-0c2e4b1a\",\"background\":true,\"total_duration_ns\":null}"))));
        samples.add(recorder(
                "run-attached-without-run",
                RecordType.RUN_ATTACHED,
                RUN + "/attached/1c0e4d2f-3a5b-4c6d-9e7f-8091a2b3c4d5",
                Position.START,
                new LifecycleEvent.RunAttached("attach", 150, null)));
        samples.add(recorder(
                "run-resumed",
                RecordType.RUN_RESUMED,
                RUN + "/resumed/5f0c2a7e-8d1b-4c3a-9e6f-0a1b2c3d4e5f",
                Position.ofSeq(150),
                new LifecycleEvent.RunResumed(2, 150, "http_503")));
        samples.add(recorder(
                "run-gap-trimmed",
                RecordType.RUN_GAP,
                RUN + "/gap/151",
                Position.ofSeq(150),
                new LifecycleEvent.RunGap(151, 5150L, "trimmed")));
        samples.add(recorder(
                "run-gap-expired",
                RecordType.RUN_GAP,
                RUN + "/gap/381",
                new Position(380, 1),
                new LifecycleEvent.RunGap(381, null, "expired")));
        samples.add(
                recorder(
                        "run-finished",
                        RecordType.RUN_FINISHED,
                        RUN + "/finished/2d1f5e3a-4b6c-4d7e-8f90-a1b2c3d4e5f6",
                        new Position(380, 2),
                        new LifecycleEvent.RunFinished(
                                "end_turn",
                                "completed",
                                json(
                                        "{\"id\":\"" + RUN + "\","
                                                + "\"status\":\"completed\",\"stop_reason\":\"end_turn\",\"total_duration_ns\":103412000000}"))));
        samples.add(recorder(
                "run-finished-without-status",
                RecordType.RUN_FINISHED,
                RUN + "/finished/3e2a6f4b-5c7d-4e8f-9a01-b2c3d4e5f6a7",
                Position.ofSeq(7),
                new LifecycleEvent.RunFinished(null, null, null)));
        samples.add(recorder(
                "run-expired",
                RecordType.RUN_EXPIRED,
                RUN + "/expired/4f3b7a5c-6d8e-4f90-8b12-c3d4e5f6a7b8",
                Position.START,
                new LifecycleEvent.RunRefused(
                        RecordType.RUN_EXPIRED, 410, "Run was created more than 3 hours ago, and is now expired.")));
        samples.add(recorder(
                "run-gone",
                RecordType.RUN_GONE,
                RUN + "/gone/5a4c8b6d-7e9f-4a01-9c23-d4e5f6a7b8c9",
                Position.ofSeq(12),
                new LifecycleEvent.RunRefused(RecordType.RUN_GONE, 404, "Run not found")));
        samples.add(recorder(
                "run-not-resumable",
                RecordType.RUN_NOT_RESUMABLE,
                RUN + "/not_resumable/6b5d9c7e-8fa0-4b12-8d34-e5f6a7b8c9d0",
                Position.START,
                new LifecycleEvent.RunRefused(
                        RecordType.RUN_NOT_RESUMABLE,
                        400,
                        "Run was not created in background mode, so it cannot be retrieved.")));
        samples.add(recorder(
                "run-abandoned",
                RecordType.RUN_ABANDONED,
                RUN + "/abandoned/7c6e0d8f-9ab1-4c23-9e45-f6a7b8c9d0e1",
                Position.ofSeq(212),
                new LifecycleEvent.RunAbandoned("running", SECONDS, 1_800_000)));
        samples.add(recorder(
                "connection-error",
                RecordType.CONNECTION_ERROR,
                RUN + "/error/8d7f1e9a-abc2-4d34-8f56-a7b8c9d0e1f2",
                Position.ofSeq(150),
                new LifecycleEvent.ConnectionError(
                        "error",
                        json("{\"message_type\":\"error_message\","
                                + "\"error_type\":\"internal_error\",\"message\":\"The stream was interrupted by a deployment.\","
                                + "\"detail\":null,\"error_code\":\"cloud_api_deployment_interrupted\",\"status_code\":503,"
                                + "\"retryable\":true,\"seq_id\":150}"))));
        samples.add(recorder(
                "connection-error-legacy",
                RecordType.CONNECTION_ERROR,
                RUN + "/error/9e8a2f0b-bcd3-4e45-9a67-b8c9d0e1f2a3",
                new Position(150, 1),
                new LifecycleEvent.ConnectionError(
                        "error", json("{\"error\": \"boom\", \"code\": \"INTERNAL_SERVER_ERROR\"}"))));
        return samples;
    }

    /** A record of the checkpoint topic: a run's checkpoint, the layout record or a rebuild record. */
    private record CheckpointTopicSample(String name, String key, Object value, byte[] bytes) {}

    static List<CheckpointTopicSample> checkpointTopicSamples() {
        Checkpoint active =
                Checkpoint.of(RUN, new Position(380, 1), RunState.ACTIVE, "agent-5b8f0d3e", "conv-0c2e4b1a", MILLIS);
        Checkpoint finished = Checkpoint.of(ERROR_RUN, Position.ofSeq(29), RunState.FINISHED, AGENT, null, MICROS);
        // a value that needs escaping: written by Jackson rather than CheckpointJson, and must not differ
        Checkpoint escaped = Checkpoint.of(RUN, Position.START, RunState.ABANDONED, "agent-\"ü\"", null, NANOS);
        Checkpoint bare = Checkpoint.of(RUN, Position.ofSeq(3), RunState.EXPIRED, null, null, null);
        LogLayout layout = LogLayout.of(6, Instant.parse("2026-03-14T17:30:00.120Z"));
        CheckpointRebuild rebuild = CheckpointRebuild.of(5_818, Instant.parse("2026-03-15T09:12:44.031Z"));
        return List.of(
                new CheckpointTopicSample("checkpoint-active", RUN, active, active.toJson()),
                new CheckpointTopicSample("checkpoint-finished", ERROR_RUN, finished, finished.toJson()),
                new CheckpointTopicSample("checkpoint-escaped", RUN, escaped, escaped.toJson()),
                new CheckpointTopicSample("checkpoint-without-ids-and-time", RUN, bare, bare.toJson()),
                new CheckpointTopicSample("layout", LogLayout.KEY, layout, layout.toJson()),
                new CheckpointTopicSample("checkpoint-rebuild", CheckpointRebuild.KEY, rebuild, rebuild.toJson()));
    }

    static Stream<String> chunkTopicNames() {
        return chunkTopicSamples().stream().map(ChunkTopicSample::name);
    }

    static Stream<String> checkpointTopicNames() {
        return checkpointTopicSamples().stream().map(CheckpointTopicSample::name);
    }

    @Test
    void everyRecordTypeHasAGoldenSample() {
        Set<RecordType> covered = EnumSet.noneOf(RecordType.class);
        chunkTopicSamples().forEach(s -> covered.add(s.envelope().type()));
        assertEquals(EnumSet.allOf(RecordType.class), covered, "a new record type needs a golden sample");
        Set<RunState> states = EnumSet.noneOf(RunState.class);
        checkpointTopicSamples().stream()
                .filter(s -> s.value() instanceof Checkpoint)
                .forEach(s -> states.add(((Checkpoint) s.value()).state()));
        assertEquals(Set.of(RunState.ACTIVE, RunState.FINISHED, RunState.ABANDONED, RunState.EXPIRED), states);
    }

    @ParameterizedTest
    @MethodSource("chunkTopicNames")
    void writingTodaysValuesGivesTheGoldenBytes(String name) {
        ChunkTopicSample sample = chunkTopicSample(name);
        ProducerRecord<byte[], byte[]> written =
                new ChunkLogRecord(sample.envelope(), sample.value()).toProducerRecord(CHUNK_TOPIC, null);
        GoldenWire golden = golden(name, GoldenWire.of(written.key(), written.headers(), written.value()));
        assertEquals(
                golden.text(),
                GoldenWire.of(written.key(), written.headers(), written.value()).text(),
                name);
        assertArrayEquals(golden.value(), written.value(), name);
    }

    @ParameterizedTest
    @MethodSource("chunkTopicNames")
    void readingTheGoldenBytesGivesTodaysValues(String name) {
        ChunkTopicSample sample = chunkTopicSample(name);
        GoldenWire golden = golden(name, null);
        ChunkLogRecord read = ChunkLogRecord.fromConsumerRecord(golden.consumerRecord(CHUNK_TOPIC));
        assertEquals(sample.envelope(), read.envelope());
        if (sample.event() == null) {
            assertArrayEquals(sample.payload(), read.value());
        } else {
            assertEquals(sample.event(), LifecycleEvent.fromJson(read.type(), read.value()));
        }
    }

    @ParameterizedTest
    @MethodSource("checkpointTopicNames")
    void writingTodaysCheckpointsGivesTheGoldenBytes(String name) {
        CheckpointTopicSample sample = checkpointTopicSample(name);
        GoldenWire written = GoldenWire.of(sample.key().getBytes(UTF_8), new RecordHeaders(), sample.bytes());
        GoldenWire golden = golden(name, written);
        assertEquals(golden.text(), written.text(), name);
        assertArrayEquals(golden.value(), sample.bytes(), name);
    }

    @ParameterizedTest
    @MethodSource("checkpointTopicNames")
    void readingTheGoldenCheckpointsGivesTodaysValues(String name) {
        CheckpointTopicSample sample = checkpointTopicSample(name);
        GoldenWire golden = golden(name, null);
        assertEquals(sample.key(), new String(golden.key(), UTF_8));
        assertEquals(List.of(), golden.headers(), "checkpoint-topic records carry no headers");
        Object read = switch (sample.value()) {
            case LogLayout layout -> LogLayout.fromJson(golden.value());
            case CheckpointRebuild rebuild -> CheckpointRebuild.fromJson(golden.value());
            default -> Checkpoint.fromJson(golden.value());
        };
        assertEquals(sample.value(), read);
    }

    private static ChunkTopicSample chunk(String name, Envelope envelope, String payload) {
        return new ChunkTopicSample(name, envelope, payload.getBytes(UTF_8), null);
    }

    private static ChunkTopicSample recorder(
            String name, RecordType type, String id, Position position, LifecycleEvent event) {
        assertEquals(type, event.type());
        return new ChunkTopicSample(
                name,
                Envelope.recorderRecord(
                        type,
                        id,
                        SOURCE,
                        RUN,
                        position,
                        position.equals(Position.START) ? MILLIS : NANOS,
                        AGENT,
                        CONVERSATION),
                null,
                event);
    }

    private static ChunkTopicSample chunkTopicSample(String name) {
        return chunkTopicSamples().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static CheckpointTopicSample checkpointTopicSample(String name) {
        return checkpointTopicSamples().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theGoldenFolderHoldsNoStaleSample() throws IOException {
        List<String> known = Stream.concat(chunkTopicNames(), checkpointTopicNames())
                .map(n -> n + ".json")
                .sorted()
                .toList();
        try (Stream<Path> files = Files.list(GoldenWire.SOURCE_ROOT)) {
            List<String> present = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .sorted()
                    .toList();
            assertEquals(known, present, "every golden file is checked by this test");
        }
    }

    private static GoldenWire golden(String name, GoldenWire candidate) {
        return GoldenWire.golden(GoldenRecordsTest.class, name, candidate);
    }
}
