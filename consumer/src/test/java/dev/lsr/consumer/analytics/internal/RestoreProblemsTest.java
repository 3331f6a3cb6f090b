package dev.lsr.consumer.analytics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RestoreProblemsTest {

    private final AtomicLong problems = new AtomicLong();
    private final RestoreProblems restore = new RestoreProblems(problems);

    @Test
    void anUnreadableStateMetAgainByTheNextRestoreIsCountedOnce() {
        assertTrue(restore.unreadable(0, 4));
        assertTrue(restore.unreadable(0, 9));
        assertFalse(restore.unreadable(0, 4), "the next restore, from the start again");
        assertFalse(restore.unreadable(0, 9));
        assertTrue(restore.unreadable(1, 4), "another partition");
        assertTrue(restore.unreadable(0, 12), "a new one");
        assertEquals(4, problems.get());
    }

    @Test
    void deletedOffsetsAreCountedOnceEach() {
        restore.deleted(0, 0, 5);
        restore.deleted(0, 0, 5);
        assertEquals(5, problems.get(), "the same deletion met again");
        restore.deleted(0, 0, 8);
        assertEquals(8, problems.get(), "only the offsets 5 to 7 are new");
        restore.deleted(1, 0, 2);
        assertEquals(10, problems.get(), "another partition");
    }
}
