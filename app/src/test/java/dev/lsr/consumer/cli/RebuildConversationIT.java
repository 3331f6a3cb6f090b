package dev.lsr.consumer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.Json;
import dev.lsr.consumer.projection.Fixtures;
import dev.lsr.consumer.projection.lettacode.LettaCodeBuffers;
import dev.lsr.consumer.projection.lettacode.LettaCodeProjection;
import dev.lsr.consumer.projection.lettacode.Options;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.Cli;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code consumer rebuild --conversation}: the conversation's runs by start time into one buffer. */
@ExtendWith(KafkaBrokerExtension.class)
class RebuildConversationIT {

    @Test
    void rebuildsAConversationsRunsInStartOrderIntoOneBuffer(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("conversation");
        broker.createTopic(topic, 3);
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            // recorded out of start order, and with a run of another conversation in between
            producer.append(FixtureLog.of("03-parallel-approvals")
                    .conversation("conv-x")
                    .records());
            producer.append(FixtureLog.of("02-tool-call-two-steps")
                    .conversation("conv-y")
                    .records());
            producer.append(
                    FixtureLog.of("01-simple-reply").conversation("conv-x").records());
        }

        Cli.Result result = Cli.against(broker.bootstrapServers(), topic).run("rebuild", "--conversation", "conv-x");

        assertEquals(0, result.exitCode(), result.toString());
        JsonNode actual = Json.MAPPER.readTree(result.out());
        assertTrue(Fixtures.jsonEquals(sessionOf("01-simple-reply", "03-parallel-approvals"), actual), result::out);
        assertFalse(Fixtures.jsonEquals(sessionOf("03-parallel-approvals", "01-simple-reply"), actual));
    }

    /**
     * The recorder attaches a conversation's runs out of their order when it finds them together (after a downtime
     * its catch-up pages newest first; a run stopped for approval is found after its continuation started): the
     * order is Letta's {@code created_at} of each run, which its run.attached carries, not when the recorder first
     * read it. Before, the continuation came first: its tool lines stayed pending, the approvals open.
     */
    @Test
    void aConversationsRunsAreInTheOrderLettaCreatedThemNotTheOrderTheyWereRecorded(KafkaBroker broker)
            throws Exception {
        String topic = broker.uniqueTopic("conversation-created");
        broker.createTopic(topic, 3);
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            producer.append(FixtureLog.of("03-parallel-approvals")
                    .conversation("conv-x")
                    .createdAt("2026-03-14T17:05:00.000000Z")
                    .records());
            // received ten hours after the other, created five minutes before it
            producer.append(FixtureLog.of("01-simple-reply")
                    .conversation("conv-x")
                    .shiftedBy(Duration.ofHours(10))
                    .createdAt("2026-03-14T17:00:00.000000")
                    .records());
        }

        Cli.Result result = Cli.against(broker.bootstrapServers(), topic).run("rebuild", "--conversation", "conv-x");

        assertEquals(0, result.exitCode(), result.toString());
        JsonNode actual = Json.MAPPER.readTree(result.out());
        assertTrue(Fixtures.jsonEquals(sessionOf("01-simple-reply", "03-parallel-approvals"), actual), result::out);
    }

    @Test
    void anUnknownConversationIsNotFound(KafkaBroker broker) {
        String topic = broker.uniqueTopic("conversation-empty");
        broker.createTopic(topic, 1);
        Cli.Result result = Cli.against(broker.bootstrapServers(), topic).run("rebuild", "--conversation", "conv-none");
        assertEquals(ExitCodes.NOT_FOUND, result.exitCode(), result.toString());
        assertEquals(
                "consumer: conversation conv-none is not in the log",
                result.err().strip());
    }

    private static JsonNode sessionOf(String... fixtures) {
        LettaCodeBuffers buffers = LettaCodeProjection.newSession(Options.defaults());
        for (String fixture : fixtures) {
            buffers.drain(Fixtures.chunks(fixture));
        }
        return buffers.toJson();
    }
}
