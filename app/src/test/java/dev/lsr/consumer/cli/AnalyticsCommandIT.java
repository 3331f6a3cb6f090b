package dev.lsr.consumer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.consumer.projection.summary.RunSummaries;
import dev.lsr.consumer.projection.summary.RunSummary;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.Cli;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.consumer.testing.SummaryTopicReader;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code consumer analytics} in-process: summarises the log into the compacted summary topic. */
@ExtendWith(KafkaBrokerExtension.class)
class AnalyticsCommandIT {

    @Test
    void writesOneSummaryPerRunToTheSummaryTopicAndContinuesWhereItStopped(KafkaBroker broker) {
        String topic = broker.uniqueTopic("analytics-cli");
        broker.createTopic(topic, 2);
        Map<String, RunSummary> expected = new HashMap<>();
        Cli cli = Cli.against(broker.bootstrapServers(), topic);
        String group = broker.uniqueId("group");
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            for (String fixture : List.of("01-simple-reply", "04-error-mid-run")) {
                List<ChunkLogRecord> records = FixtureLog.of(fixture).records();
                producer.append(records);
                expected.put(records.getFirst().runId(), RunSummaries.ofRecords(records));
            }
            Cli.Result first = cli.run("analytics", "--group", group, "--until-caught-up");
            assertEquals(0, first.exitCode(), first.toString());
            assertTrue(first.err().contains("consumer: analytics job stopped: Stats[state=STOPPED"), first.err());
            assertEquals(
                    expected,
                    SummaryTopicReader.latest(broker.bootstrapServers(), TopicConventions.summaryTopic(topic)));

            List<ChunkLogRecord> more = FixtureLog.of("06-cancelled-mid-way").records();
            producer.append(more);
            expected.put(more.getFirst().runId(), RunSummaries.ofRecords(more));
        }
        Cli.Result second = cli.run("analytics", "--group", group, "--until-caught-up");

        assertEquals(0, second.exitCode(), second.toString());
        assertTrue(
                second.err()
                        .contains("records="
                                + FixtureLog.of("06-cancelled-mid-way")
                                        .records()
                                        .size() + ","),
                "the second run reads only what was appended since: " + second.err());
        assertEquals(
                expected, SummaryTopicReader.latest(broker.bootstrapServers(), TopicConventions.summaryTopic(topic)));
    }
}
