package dev.lsr.recorder.internal.letta;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * The recorder's HTTP client for Letta, its settings in one place.
 *
 * <ul>
 *   <li>No retries: a run's supervisor owns retry (and a send must never be sent twice by the client).</li>
 *   <li>A read timeout of the stall timeout: a server that sends no headers or no data for that long (no
 *       pings either) is a stall, also before the stream opened.</li>
 *   <li>Idle connections are kept {@link #IDLE_KEEP_ALIVE}, less than the 5 s after which uvicorn, Letta's
 *       server, closes an idle connection by default. Without retries, a request on a connection the server
 *       has closed fails ("unexpected end of stream"), and OkHttp checks a pooled connection only after
 *       10 s idle, and a GET's never. The reuse that matters is the next request right away: a run's final
 *       Run GET on the connection its stream ended on.</li>
 *   <li>No redirects: OkHttp drops only {@code Authorization} when a redirect leaves the host, so the configured
 *       Letta headers ({@code X-BARE-PASSWORD}, an {@code X-Api-Key}) would follow a proxy's or a misconfigured
 *       server's redirect anywhere, https or not. Letta's API does not redirect; a 3xx is an HTTP error.</li>
 * </ul>
 */
public final class LettaHttpClient {

    /** How long an idle connection stays in the pool. */
    private static final Duration IDLE_KEEP_ALIVE = Duration.ofSeconds(4);

    private static final int MAX_IDLE_CONNECTIONS = 5;

    private LettaHttpClient() {}

    public static OkHttpClient create(Duration stallTimeout) {
        return new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(stallTimeout)
                .writeTimeout(Duration.ofSeconds(10))
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                .connectionPool(
                        new ConnectionPool(MAX_IDLE_CONNECTIONS, IDLE_KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS))
                .build();
    }
}
