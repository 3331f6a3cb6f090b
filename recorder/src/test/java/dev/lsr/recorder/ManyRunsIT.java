package dev.lsr.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.RecordedOnce;
import dev.lsr.sim.LettaSim;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * More runs than one {@code GET /v1/runs/} page holds (letta-sim answers at most 1,000 per page, as
 * the server does): 2,500 background runs active when the recorder starts and 1,500 that started and
 * ended before it, within the catch-up window. Every one is recorded, once, every chunk once.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ManyRunsIT {

    private static final int ACTIVE_RUNS = 2_500;
    private static final int ENDED_RUNS = 1_500;
    private static final MediaType JSON = MediaType.get("application/json");

    @Test
    void everyActiveAndEveryRecentlyEndedRunIsRecordedOnceHoweverManyPagesTheyTake(KafkaBroker broker)
            throws Exception {
        String topic = broker.uniqueTopic("many");
        try (LettaSim sim = LettaSim.builder().pace(Duration.ofSeconds(3)).start();
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            send(sim, ENDED_RUNS, "ended", 1, true);
            send(sim, ACTIVE_RUNS, "active", 20, false);
            Set<String> all = Set.copyOf(sim.runIds());
            assertEquals(ACTIVE_RUNS + ENDED_RUNS, all.size(), "the simulator holds every run");

            RecorderConfig config = RecorderConfig.builder(sim.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .partitions(3)
                    .backoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                    .build();
            RecorderDaemon daemon = RecorderDaemon.create(config);
            Thread thread = Thread.ofPlatform().start(daemon);
            assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)));
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            int[] ended = new int[1];
            log.awaitUntil(
                    l -> {
                        ended[0] = endedCount(l, all);
                        return ended[0] == all.size() || System.nanoTime() > deadline;
                    },
                    Duration.ofMinutes(5));
            daemon.close();
            thread.join(60_000);
            assertEquals(all.size(), ended[0], "runs recorded to their end, of " + all.size());

            List<String> wrong = RecordedOnce.wrong(log, sim, all);
            assertEquals(
                    List.of(), wrong.stream().limit(10).toList(), wrong.size() + " run(s) not recorded exactly once");
        }
    }

    private static int endedCount(CommittedLog log, Set<String> runIds) {
        Set<String> ended = new HashSet<>();
        for (ChunkLogRecord record : log.all()) {
            if (record.type().isTerminal()) {
                ended.add(record.runId());
            }
        }
        ended.retainAll(runIds);
        return ended.size();
    }

    /**
     * Background sends, one per agent (each agent is its own lock), all at once; a run streams
     * {@code chunks} content chunks at the simulator's pace. {@code untilEnded}: read each response to
     * the run's end, else leave the run going in the background.
     */
    private static void send(LettaSim sim, int count, String prefix, int chunks, boolean untilEnded) throws Exception {
        OkHttpClient http = new OkHttpClient.Builder()
                .callTimeout(Duration.ofMinutes(2))
                .readTimeout(Duration.ofMinutes(2))
                .build();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> sends = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String agent = "agent-" + prefix + "-" + i;
                sends.add(pool.submit(() -> send(http, sim, agent, chunks, untilEnded)));
            }
            for (Future<Void> send : sends) {
                send.get();
            }
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    private static Void send(OkHttpClient http, LettaSim sim, String agent, int chunks, boolean untilEnded)
            throws IOException {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"[sim:chunks=" + chunks
                + "] hi\"}],\"background\":true,\"stream_tokens\":true}";
        Request request = new Request.Builder()
                .url(sim.baseUrl() + "/v1/agents/" + agent + "/messages/stream")
                .post(RequestBody.create(body, JSON))
                .build();
        try (Response response = http.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                throw new IOException("send answered HTTP " + response.code());
            }
            if (untilEnded) {
                response.body().string();
            }
        }
        return null;
    }
}
