package dev.lsr.kafka.junit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.internals.Topic;
import org.junit.jupiter.api.Test;

class UniqueNamesTest {

    @Test
    void namesNeverRepeatAndAreValidTopicNames() {
        UniqueNames names = new UniqueNames();
        Set<String> seen = new HashSet<>();
        for (String prefix : new String[] {"chunks", "chunks", "a b/c:d", "", "..", "x".repeat(300)}) {
            String name = names.next(prefix);
            assertTrue(seen.add(name), name);
            Topic.validate(name);
        }
    }

    @Test
    void unsafeCharactersBecomeUnderscores() {
        assertEquals("a_b_c_d", UniqueNames.sanitize("a b/c:d"));
        assertEquals("t", UniqueNames.sanitize(".."));
    }
}
