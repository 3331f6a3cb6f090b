package dev.lsr.recorder.log;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionState;

/** What the broker's transaction coordinator says, for tests that wait on it. */
final class Coordinator {

    private Coordinator() {}

    /** Waits until the coordinator aborted the open transaction of {@code transactionalId} (e.g. for its timeout). */
    static void awaitAborted(String bootstrapServers, String transactionalId) throws Exception {
        Set<TransactionState> aborted = Set.of(TransactionState.PREPARE_ABORT, TransactionState.COMPLETE_ABORT);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            await("the coordinator aborts the open transaction")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> aborted.contains(admin.describeTransactions(List.of(transactionalId))
                            .description(transactionalId)
                            .get()
                            .state()));
        }
    }
}
