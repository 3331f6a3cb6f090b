package dev.lsr.recorder.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.RecordType;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.RealKafka;
import dev.lsr.recorder.demo.DemoWorkload;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** The README's main command: with no Letta URL the recorder runs the demo and prints progress. */
@RealKafka
class DemoIT {

    @Test
    void withNoLettaUrlTheDemoRecordsEveryGeneratedRunAndSaysHowToReadIt(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("demo");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = RecorderCommand.mainNoExit(
                new String[] {"--bootstrap-servers", broker.bootstrapServers(), "--topic", topic, "--partitions", "3"},
                Map.of(), new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8), RecorderCommand::daemon);

        String progress = err.toString(UTF_8);
        String summary = out.toString(UTF_8);
        assertEquals(RecorderCommand.OK, exit, progress);
        assertTrue(progress.contains("demo: no Letta URL given"), progress);
        assertTrue(progress.lines().anyMatch(line -> line.startsWith("demo: runs: ")), progress);
        assertTrue(progress.contains("every run has finished"), progress);
        assertTrue(summary.contains("Recorded " + DemoWorkload.RUNS + " finished runs"), summary);
        assertTrue(summary.contains("bin/consumer --bootstrap-servers " + broker.bootstrapServers() + " runs"), summary);
        assertEquals(DemoWorkload.RUNS, finishedRunsIn(broker, topic).size(), "every demo run has a finished record");
    }

    private static Set<String> finishedRunsIn(KafkaBroker broker, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Set<String> finished = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    ChunkLogRecord read = ChunkLogRecord.fromConsumerRecord(record);
                    if (read.type() == RecordType.RUN_FINISHED) {
                        finished.add(read.runId());
                    }
                });
            }
        }
        return finished;
    }
}
