package dev.lsr.consumer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RecordType;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.Cli;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A frame the recorder could not keep as a chunk (a tool return over Kafka's limit) is in the log as
 * {@code chunk.rejected} at its position. Whatever is rebuilt from the run misses that frame, so every command says
 * so: a warning naming the run and position, and exit 6 (done, with problems). Before, the rebuild dropped the
 * finished tool call without a word and exited 0.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RejectedChunkIT {

    private static final String FIXTURE = "02-tool-call-two-steps";

    @Test
    void aRejectedFrameIsAProblemOfEveryRebuildOfItsRun(KafkaBroker broker) {
        String topic = broker.uniqueTopic("rejected");
        broker.createTopic(topic, 1);
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            producer.append(withToolReturnRejected(FixtureLog.of(FIXTURE).records()));
        }
        Cli cli = Cli.against(broker.bootstrapServers(), topic);
        String run = FixtureLog.originalRunId(FIXTURE);

        for (List<String> command :
                List.of(List.of("rebuild", run, "--format", "letta-code"), List.of("show", run), List.of("runs"))) {
            Cli.Result result = cli.run(command.toArray(String[]::new));

            assertEquals(ExitCodes.PROBLEMS, result.exitCode(), command + ": " + result);
            assertTrue(result.err().contains("rejected chunk " + run + " at "), command + ": " + result.err());
            assertTrue(result.err().contains("oversized"), command + ": " + result.err());
        }
    }

    /** The run's records with its tool return in the log as the recorder writes a frame over Kafka's limit. */
    private static List<ChunkLogRecord> withToolReturnRejected(List<ChunkLogRecord> records) {
        List<ChunkLogRecord> changed = new ArrayList<>();
        for (ChunkLogRecord record : records) {
            if (record.type() == RecordType.CHUNK
                    && new String(record.value(), java.nio.charset.StandardCharsets.UTF_8)
                            .contains("\"tool_return_message\"")) {
                changed.add(FixtureLog.recorderRecordAt(
                        record,
                        new LifecycleEvent.ChunkRejected(
                                "oversized", "over max.request.size", null, 2_000_000, "{\"id\":\"message-")));
            } else {
                changed.add(record);
            }
        }
        return changed;
    }
}
