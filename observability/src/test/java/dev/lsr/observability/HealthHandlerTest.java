package dev.lsr.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The readiness handler on a real JDK HTTP server, probing a real listener that counts the connections it accepts. */
class HealthHandlerTest {

    private static final int REQUESTS = 50;

    /**
     * Readiness requests that arrive while the checks run wait for that run's report instead of starting their own:
     * 50 probes at once (a misconfigured kubelet, a scraper, anyone on the port) connect to Kafka once, not 50 times.
     * The first run of the checks is held until every request has reached the handler, so each of them arrives while
     * it runs.
     */
    @Test
    void concurrentReadinessRequestsShareOneRunOfTheChecks() throws Exception {
        CountDownLatch arrived = new CountDownLatch(REQUESTS);
        AtomicInteger runs = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), REQUESTS * 2);
        try (ServerSocket kafka = new ServerSocket(0, REQUESTS * 2);
                CountingAcceptor accepts = new CountingAcceptor(kafka);
                var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, HealthCheck> readiness = new LinkedHashMap<>();
            readiness.put("everyone-arrived", () -> {
                runs.incrementAndGet();
                return HealthCheck.Result.of(await(arrived), "not every request arrived");
            });
            readiness.put("kafka", new TcpProbe("127.0.0.1:" + kafka.getLocalPort(), Duration.ofSeconds(2)));
            HttpHandler ready = Endpoints.handlers(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), readiness)
                    .get(Endpoints.READY);
            server.createContext(Endpoints.READY, exchange -> {
                arrived.countDown();
                ready.handle(exchange);
            });
            server.setExecutor(executor);
            server.start();

            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + Endpoints.READY);
            List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                responses.add(
                        http.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> response : responses) {
                HttpResponse<String> answer = response.get(30, TimeUnit.SECONDS);
                assertEquals(200, answer.statusCode(), answer.body());
            }

            assertEquals(1, accepts.settled(), "connections to the probed listener");
            assertEquals(1, runs.get(), "runs of the checks");
        } finally {
            server.stop(0);
        }
    }

    /**
     * Every request arrived, and had the time to join the run going on: a request counts itself arrived just before it
     * asks for the report, and the checks run at once, so the run could end between the last one's arrival and its ask.
     */
    private static boolean await(CountDownLatch latch) {
        try {
            boolean arrived = latch.await(20, TimeUnit.SECONDS);
            Thread.sleep(300);
            return arrived;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Accepts and closes every connection to a listener, counting them. */
    private static final class CountingAcceptor implements AutoCloseable {
        private final AtomicInteger accepted = new AtomicInteger();
        private final Thread thread;

        CountingAcceptor(ServerSocket listener) {
            thread = Thread.ofPlatform().daemon().name("counting-acceptor").start(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket socket = listener.accept();
                        accepted.incrementAndGet();
                        socket.close();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        /** The count once no connection came for a while (a probe's other tries may still be landing). */
        int settled() throws InterruptedException {
            int seen;
            do {
                seen = accepted.get();
                Thread.sleep(300);
            } while (accepted.get() != seen);
            assertTrue(seen > 0, "the probe connected");
            return seen;
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }
}
