package dev.lsr.bench.system.internal;

import dev.lsr.recorder.log.KafkaRunLog;
import dev.lsr.recorder.log.RunLog;
import dev.lsr.recorder.log.RunLogConfig;
import dev.lsr.recorder.log.RunLogListener;
import java.time.Clock;

/**
 * Creates a chunk topic and its checkpoint topic the way the recorder does: by starting (and closing) a
 * run log on it, so they get the recorder's own topic settings (the checkpoint topic's compaction above
 * all), which a log that stays for the whole run should have when its restore is measured.
 */
final class RecorderTopics {

    private RecorderTopics() {}

    static void create(BenchKafka kafka, String chunkTopic) {
        RunLogConfig config = RunLogConfig.builder(kafka.bootstrapServers())
                .chunkTopic(chunkTopic)
                .partitions(Sizes.PARTITIONS)
                .replicationFactor((short) 1)
                .build();
        try (RunLog log = KafkaRunLog.create(config, RunLogListener.NONE, Clock.systemUTC())) {
            log.start();
        }
    }
}
