package dev.lsr.recorder.internal.letta;

import java.util.Objects;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Makes calls on one of several OkHttp clients that differ only in their connection pool; all calls
 * about one run (its Run GETs, its stream opens) or one sent message on the same one, chosen by the
 * request's {@link Subject} tag, calls about neither (listings, the start check) on the first.
 *
 * <p>Why: OkHttp finds a connection for a call by scanning every connection of its pool, each under
 * its own lock, and schedules the pool's clean-up under one JVM-wide lock whenever a connection is
 * released. A recorder holds a streaming connection per active run, so with ~1,000 runs every Run
 * GET and every stream open scanned ~1,000 connections: a sixth of the recorder's CPU samples while
 * it re-attached 1,000 runs after a restart (docs/benchmarks.md). With the connections spread over
 * {@value #DEFAULT_SHARDS} pools each scan sees a sixteenth of them; a run's GET still leaves its
 * connection where the run's next stream open finds it. What it costs: connections are reused only
 * within a pool, so a few more are opened and kept idle (up to 5 per pool), and over HTTP/2, where one
 * connection could carry many runs' streams, each pool multiplexes on connections of its own.
 */
public final class ShardedCalls implements Call.Factory {

    public static final int DEFAULT_SHARDS = 16;

    /** The tag naming what a request is about: a run id, or a sent message's otid. */
    public record Subject(String id) {
        public Subject {
            Objects.requireNonNull(id, "id");
        }
    }

    private final OkHttpClient[] shards;

    private ShardedCalls(OkHttpClient[] shards) {
        this.shards = shards;
    }

    /** {@code count} clients with {@code base}'s settings, each with a connection pool of its own. */
    public static ShardedCalls of(OkHttpClient base, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        OkHttpClient[] shards = new OkHttpClient[count];
        for (int i = 0; i < count; i++) {
            shards[i] = base.newBuilder().connectionPool(new ConnectionPool()).build();
        }
        return new ShardedCalls(shards);
    }

    @Override
    public Call newCall(Request request) {
        return shards[shardOf(request)].newCall(request);
    }

    /** The index of the client that makes {@code request}'s call. */
    int shardOf(Request request) {
        Subject subject = request.tag(Subject.class);
        return subject == null ? 0 : Math.floorMod(subject.id().hashCode(), shards.length);
    }

    /** The client of shard {@code index}. */
    OkHttpClient shard(int index) {
        return shards[index];
    }
}
