package dev.lsr.kafka.junit;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaBrokerExtensionIT {

    static KafkaBroker staticBroker;
    KafkaBroker instanceBroker;

    @Test
    void parametersAndFieldsReceiveTheSameJvmWideBroker(KafkaBroker broker) {
        assertSame(broker, staticBroker);
        assertSame(broker, instanceBroker);
        assertTrue(broker.bootstrapServers().matches("[^:]+:\\d+"), broker.bootstrapServers());
    }

    @Test
    void uniqueTopicsDifferAndUseOnlyCharactersKafkaAllows(KafkaBroker broker) {
        String first = broker.uniqueTopic("chunks for/run:1");
        String second = broker.uniqueTopic("chunks for/run:1");
        assertNotEquals(first, second);
        assertTrue(first.matches("[a-zA-Z0-9._-]+"), first);
        assertTrue(first.startsWith("chunks_for_run_1-"), first);
    }

    @Test
    void createdTopicsAreListedByTheSharedAdmin(KafkaBroker broker) throws ExecutionException, InterruptedException {
        String topic = broker.uniqueTopic("listed");
        broker.createTopic(topic, 3);
        assertTrue(broker.admin().listTopics().names().get().contains(topic));
        assertSame(broker.admin(), broker.admin());
    }
}
