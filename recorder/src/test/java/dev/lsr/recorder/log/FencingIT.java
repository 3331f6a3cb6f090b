package dev.lsr.recorder.log;

import static dev.lsr.recorder.log.Records.chunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RunState;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.RealKafka;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Two recorders, one partition owner: the newer one fences the older, whose open transaction is aborted. */
@RealKafka
class FencingIT {

    @Test
    void aSecondOwnerFencesTheFirstAbortsItsOpenTransactionAndRestoresItsCheckpoints(KafkaBroker broker)
            throws Exception {
        String topic = broker.uniqueTopic("fencing");
        RunLogConfig config = RunLogConfig.builder(broker.bootstrapServers())
                .chunkTopic(topic)
                .partitions(3)
                .replicationFactor((short) 1)
                .commitWindow(Duration.ofMinutes(5))
                .kafkaProperty("producer.interceptor.classes", HoldingInterceptor.class.getName())
                .build();
        List<String> runs = List.of("run-a", "run-b", "run-c", "run-d", "run-e");
        String victim = "run-a";
        int partition = TopicConventions.partitionFor(victim, 3);

        RunLog first = KafkaRunLog.create(config, RunLogListener.NONE, Clock.systemUTC());
        first.start();
        for (String run : runs) {
            for (long seq = 1; seq <= 3; seq++) {
                first.append(chunk(run, seq), RunState.ACTIVE);
            }
        }
        first.flush();
        Map<String, Checkpoint> committed = first.activeRuns();

        HoldingInterceptor.arm(Envelope.chunkId(victim, Position.ofSeq(5)), topic);
        first.append(chunk(victim, 4), RunState.ACTIVE);
        first.append(chunk(victim, 5), RunState.ACTIVE);
        CompletableFuture<Void> firstFlush = CompletableFuture.runAsync(first::flush);
        HoldingInterceptor.awaitHeldAfterAnAck();

        try (RunLog second = KafkaRunLog.create(
                config.toBuilder().kafkaProperties(Map.of()).build(), RunLogListener.NONE, Clock.systemUTC())) {
            second.start();
            HoldingInterceptor.release();

            ExecutionException flushed =
                    assertThrows(ExecutionException.class, () -> firstFlush.get(120, TimeUnit.SECONDS));
            String expected = "fenced: another recorder took over partition " + partition + " of " + topic
                    + " (transactional id lsr-recorder-" + topic + "-" + partition + ")";
            assertEquals(RunLogClosedException.class, flushed.getCause().getClass());
            assertEquals(expected, flushed.getCause().getMessage());
            assertEquals(expected, first.failure().orElseThrow().message());
            assertEquals(
                    RunLogFailure.Kind.FENCED, first.failure().orElseThrow().kind());
            RunLogClosedException refused =
                    assertThrows(RunLogClosedException.class, () -> first.append(chunk("run-b", 4), RunState.ACTIVE));
            assertEquals(expected, refused.getMessage());

            assertEquals(committed, second.activeRuns(), "the second restores exactly what the first committed");
            Map<String, List<ChunkLogRecord>> byRun = Topics.chunksByRun(broker.bootstrapServers(), topic);
            for (String run : runs) {
                assertEquals(
                        LongStream.rangeClosed(1, 3).mapToObj(Long::toString).toList(),
                        byRun.get(run).stream().map(Records::describe).toList(),
                        run + ": nothing of the aborted transaction is visible");
            }

            second.append(chunk(victim, 4), RunState.ACTIVE);
            second.flush();
            assertEquals(
                    Position.ofSeq(4), second.checkpoint(victim).orElseThrow().lastPosition());
        } finally {
            HoldingInterceptor.release();
            first.close();
        }
    }
}
