package dev.lsr.recorder.internal.letta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lsr.recorder.SendMessage;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The recorder's HTTP calls spread over connection pools, each run's calls in one of them. */
class ShardedCallsTest {

    private final OkHttpClient base = new OkHttpClient.Builder()
            .readTimeout(Duration.ofSeconds(7))
            .retryOnConnectionFailure(false)
            .build();
    private final ShardedCalls calls = ShardedCalls.of(base, ShardedCalls.DEFAULT_SHARDS);
    private final MockWebServer server = new MockWebServer();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyCallAboutOneSubjectGoesToTheSameShardAndTheSubjectsSpreadOverAll() {
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String runId = "run-" + UUID.randomUUID();
            int shard = calls.shardOf(about(runId, "http://letta/v1/runs/" + runId));
            assertEquals(shard, calls.shardOf(about(runId, "http://letta/v1/runs/" + runId + "/stream")));
            used.add(shard);
        }
        assertEquals(ShardedCalls.DEFAULT_SHARDS, used.size(), "1,000 runs leave no pool unused");
        assertEquals(
                0,
                calls.shardOf(new Request.Builder().url("http://letta/v1/runs/").build()));
    }

    @Test
    void theShardsShareTheBaseSettingsButNotTheirConnectionPools() {
        for (int i = 1; i < ShardedCalls.DEFAULT_SHARDS; i++) {
            assertNotSame(calls.shard(0).connectionPool(), calls.shard(i).connectionPool());
            assertSame(base.dispatcher(), calls.shard(i).dispatcher());
            assertEquals(7_000, calls.shard(i).readTimeoutMillis());
            assertEquals(false, calls.shard(i).retryOnConnectionFailure());
        }
        assertThrows(IllegalArgumentException.class, () -> ShardedCalls.of(base, 0));
    }

    /**
     * Through the Letta client: a run's Run GET leaves its connection where the run's stream open finds it,
     * a run in another pool gets a connection of its own, and a send is tagged with its otid.
     */
    @Test
    void theLettaClientTagsItsCallsSoThatARunsStreamReusesItsGetsConnection() throws Exception {
        server.start(InetAddress.getLoopbackAddress(), 0);
        List<ShardedCalls.Subject> subjects = new ArrayList<>();
        Call.Factory recording = request -> {
            subjects.add(request.tag(ShardedCalls.Subject.class));
            return calls.newCall(request);
        };
        OkHttpLettaApi api = new OkHttpLettaApi(recording, server.url("/"), null, Duration.ofSeconds(5), 1 << 20);
        String run = "run-a";
        String otherRun = runInAnotherShardThan(run);
        for (int i = 0; i < 2; i++) {
            server.enqueue(new MockResponse.Builder()
                    .addHeader("Content-Type", "application/json")
                    .body("{\"id\":\"run-a\",\"status\":\"running\",\"agent_id\":\"agent-1\"}")
                    .build());
        }
        for (int i = 0; i < 2; i++) {
            server.enqueue(new MockResponse.Builder()
                    .addHeader("Content-Type", "text/event-stream")
                    .body("data: [DONE]\n\n")
                    .build());
        }
        SendMessage message = SendMessage.toAgent("agent-1", "hello");

        api.getRun(run);
        api.getRun(otherRun);
        try (SseStream stream = api.streamRun(run, 0)) {
            stream.next();
        }
        try (SseStream stream = api.send(message)) {
            stream.next();
        }

        RecordedRequest getRun = server.takeRequest();
        RecordedRequest getOtherRun = server.takeRequest();
        RecordedRequest openStream = server.takeRequest();
        assertEquals("/v1/runs/run-a/stream", openStream.getTarget());
        assertEquals(getRun.getConnectionIndex(), openStream.getConnectionIndex(), "the run's GET connection reused");
        assertNotEquals(
                getRun.getConnectionIndex(), getOtherRun.getConnectionIndex(), "another pool, another connection");
        assertEquals(
                List.of(run, otherRun, run, message.otid()),
                subjects.stream().map(ShardedCalls.Subject::id).toList());
    }

    private String runInAnotherShardThan(String runId) {
        int shard = calls.shardOf(about(runId, "http://letta/v1/runs/" + runId));
        for (int i = 0; ; i++) {
            String other = "run-b" + i;
            if (calls.shardOf(about(other, "http://letta/v1/runs/" + other)) != shard) {
                return other;
            }
        }
    }

    private static Request about(String subject, String url) {
        return new Request.Builder()
                .url(url)
                .tag(ShardedCalls.Subject.class, new ShardedCalls.Subject(subject))
                .build();
    }
}
