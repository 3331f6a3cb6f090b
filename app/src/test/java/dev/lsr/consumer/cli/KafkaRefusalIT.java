package dev.lsr.consumer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.consumer.testing.Cli;
import dev.lsr.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker that answers but refuses this client (an ACL, wrong credentials) is not an unreachable one: the consumer
 * says it was refused and exits 2 (configuration), not 5 ("cannot reach Kafka", which scripts retry). Before, the
 * refusal was reported as "cannot reach Kafka" with exit 5.
 */
class KafkaRefusalIT {

    @TempDir
    Path dataDir;

    @Test
    void aTopicTheClientMayNotReadIsARefusalNotAnOutage() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .dataDir(dataDir)
                .port(0)
                .withAcls()
                .start()) {
            String topic = "refused";
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
                        .all()
                        .get();
                admin.createAcls(List.of(new AclBinding(
                                new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                                new AccessControlEntry(
                                        "User:ANONYMOUS", "*", AclOperation.ALL, AclPermissionType.DENY))))
                        .all()
                        .get();
            }

            Cli.Result result = new Cli(java.time.Clock.systemUTC())
                    .runExactly(
                            "runs",
                            "--bootstrap-servers",
                            broker.bootstrapServers(),
                            "--topic",
                            topic,
                            "--timeout",
                            "5s");

            assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
            assertTrue(result.err().contains("refused"), result.err());
            assertTrue(result.err().contains("TopicAuthorizationException"), result.err());
            assertFalse(result.err().contains("cannot reach"), result.err());
        }
    }
}
