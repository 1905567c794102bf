package dev.spindle.internal.queue;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The spawn stack's racy listing (its concurrency is model-checked in SpawnStackLincheckTest). */
class SpawnStackTest {

    @Test
    void forEachRacyListsLiveElementsOldestFirstAndTakesNothing() {
        SpawnStack<Integer> s = new SpawnStack<>(4);
        for (int i = 0; i < 4; i++) {
            assertTrue(s.push(i));
        }
        assertEquals(0, s.steal()); // below base now: not listed
        assertEquals(3, s.pop());   // popped and cleared: not listed
        assertTrue(s.push(4));
        assertTrue(s.push(5));      // wraps into the stolen element's slot
        List<Integer> seen = new ArrayList<>();
        s.forEachRacy(seen::add);
        assertEquals(List.of(1, 2, 4, 5), seen);
        assertEquals(4, s.size(), "nothing taken");
    }
}
