package dev.lsr.observability;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpProbeTest {

    /**
     * A first bootstrap server whose machine is gone (its connections time out, they are not refused) does not hold
     * the probe up while a later one answers: the addresses are tried at once. Before, one after the other: every
     * readiness probe waited the whole connect timeout first, longer than a kubelet's default probe timeout (1 s).
     */
    @Test
    void aSilentFirstAddressDoesNotHoldTheProbeUpWhileALaterOneAnswers() throws Exception {
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 1);
                ServerSocket live = new ServerSocket(0)) {
            fillAcceptQueue(silent, fillers);
            TcpProbe probe = new TcpProbe(
                    "127.0.0.1:" + silent.getLocalPort() + ",127.0.0.1:" + live.getLocalPort(), Duration.ofSeconds(30));

            HealthCheck.Result result = assertTimeoutPreemptively(Duration.ofSeconds(10), probe::check);

            assertTrue(result.up(), result.toString());
        } finally {
            for (Socket filler : fillers) {
                filler.close();
            }
        }
    }

    /** Connects until the listener's accept queue is full: from then on a connect gets no answer. */
    private static void fillAcceptQueue(ServerSocket listener, List<Socket> fillers) {
        for (int i = 0; i < 16; i++) {
            Socket socket = new Socket();
            fillers.add(socket);
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", listener.getLocalPort()), 200);
            } catch (IOException full) {
                return;
            }
        }
    }
}
