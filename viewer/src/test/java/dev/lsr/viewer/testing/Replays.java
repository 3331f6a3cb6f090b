package dev.lsr.viewer.testing;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.consumer.reader.ChunkLogReader;
import dev.lsr.consumer.reader.ReplayListener;
import dev.lsr.consumer.reader.ReplayProgress;
import dev.lsr.consumer.reader.RunFilter;
import dev.lsr.consumer.testing.MockChunkTopic;
import dev.lsr.viewer.model.RunView;
import dev.lsr.viewer.model.RunViewFold;
import java.time.Duration;
import java.util.List;

/** Records replayed through the real reader (over Kafka's mock consumer) into a listener. */
public final class Replays {

    private Replays() {}

    public static <L extends ReplayListener> L replay(List<ChunkLogRecord> records, L listener) {
        MockChunkTopic topic = new MockChunkTopic("letta.chunks", 3).append(records);
        try (ChunkLogReader reader = new ChunkLogReader(topic.consumer(), topic.topic(), Duration.ofSeconds(5))) {
            reader.replay(RunFilter.all(), listener, ReplayProgress.NONE);
        }
        return listener;
    }

    public static RunView view(List<ChunkLogRecord> records) {
        return replay(records, new RunViewFold()).view();
    }
}
