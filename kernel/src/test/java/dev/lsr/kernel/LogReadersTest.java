package dev.lsr.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LogReadersTest {

    @Test
    void aReaderReadsCommittedWithoutAGroupAndKeepsKafkasFetchWait() {
        Map<String, Object> properties =
                LogReaders.properties(Map.of("bootstrap.servers", "127.0.0.1:9092", "group.id", "someone's"));

        assertEquals("read_committed", properties.get("isolation.level"));
        assertEquals("none", properties.get("auto.offset.reset"));
        assertFalse(properties.containsKey("group.id"), "partitions are assigned, never a group's");
        assertFalse(properties.containsKey("fetch.max.wait.ms"), "a follower waits for records on the broker");
    }

    @Test
    void aBoundedReaderHasTheBrokerHoldAnEmptyFetchOnlyBriefly() {
        Map<String, Object> properties =
                LogReaders.boundedProperties(Map.of("bootstrap.servers", "127.0.0.1:9092", "fetch.max.wait.ms", "500"));

        assertEquals("read_committed", properties.get("isolation.level"));
        assertEquals(
                10,
                properties.get("fetch.max.wait.ms"),
                "a fetch parked at a partition's end holds the connection's next request this long");
    }
}
