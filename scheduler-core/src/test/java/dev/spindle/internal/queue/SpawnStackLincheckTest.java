package dev.spindle.internal.queue;

import dev.spindle.LincheckSupport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.spindle.LincheckSupport.startAndJoin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model checks of the shipped {@link SpawnStack}: an owner pushing and popping races thieves
 * stealing, under many interleavings. What must hold: every element pushed is taken exactly
 * once (by a pop, a steal, or the final drain), none twice, and a push that said "full" left
 * nothing behind. The owner's pops see its own pushes newest first.
 *
 * <p>Broken on purpose once (the owner's pop taking the last element without racing the
 * thieves for it): all three model-checked scenarios failed at 500 interleavings, each with one
 * element taken by both the owner and a thief.
 */
class SpawnStackLincheckTest {

    /** The owner: a script of pushes (positive ids) and pops (0), recording what it took. */
    static final class Owner extends Thread {
        final SpawnStack<Integer> stack;
        final int[] script;
        final List<Integer> taken = new ArrayList<>();
        final List<Integer> refused = new ArrayList<>();

        Owner(SpawnStack<Integer> stack, int... script) {
            this.stack = stack;
            this.script = script;
        }

        @Override
        public void run() {
            for (int op : script) {
                if (op > 0) {
                    if (!stack.push(op)) {
                        refused.add(op);
                    }
                } else {
                    Integer e = stack.pop();
                    if (e != null) {
                        taken.add(e);
                    }
                }
            }
        }
    }

    /** A thief: {@code steals} steals, recording what it took. */
    static final class Thief extends Thread {
        final SpawnStack<Integer> stack;
        final int steals;
        final List<Integer> taken = new ArrayList<>();

        Thief(SpawnStack<Integer> stack, int steals) {
            this.stack = stack;
            this.steals = steals;
        }

        @Override
        public void run() {
            for (int i = 0; i < steals; i++) {
                Integer e = stack.steal();
                if (e != null) {
                    taken.add(e);
                }
            }
        }
    }

    /** Runs the owner and thieves, then checks every accepted push was taken exactly once. */
    private static void runAndCheck(SpawnStack<Integer> stack, Owner owner, Thief... thieves) {
        Thread[] all = new Thread[thieves.length + 1];
        all[0] = owner;
        System.arraycopy(thieves, 0, all, 1, thieves.length);
        startAndJoin(all);
        List<Integer> taken = new ArrayList<>(owner.taken);
        for (Thief t : thieves) {
            taken.addAll(t.taken);
        }
        stack.drain(taken::add);
        List<Integer> expected = new ArrayList<>();
        for (int op : owner.script) {
            if (op > 0 && !owner.refused.contains(op)) {
                expected.add(op);
            }
        }
        taken.sort(null);
        expected.sort(null);
        assertEquals(expected, taken, "owner took " + owner.taken + ", refused " + owner.refused);
        assertTrue(stack.isEmpty());
    }

    @Test
    void theLastElementIsTakenOnceWhenOwnerAndThievesRaceForIt() {
        check(() -> {
            SpawnStack<Integer> stack = new SpawnStack<>(4);
            runAndCheck(stack, new Owner(stack, 1, 0, 2, 0), new Thief(stack, 1), new Thief(stack, 1));
        });
    }

    @Test
    void popsAndStealsOfADeeperStackTakeEachElementOnce() {
        check(() -> {
            SpawnStack<Integer> stack = new SpawnStack<>(4);
            runAndCheck(stack, new Owner(stack, 1, 2, 3, 0, 0, 4, 0), new Thief(stack, 2), new Thief(stack, 1));
        });
    }

    @Test
    void aFullStackRefusesAndWrapsAroundWithoutLosingOne() {
        check(() -> {
            SpawnStack<Integer> stack = new SpawnStack<>(2);
            runAndCheck(stack, new Owner(stack, 1, 2, 3, 0, 4, 5, 0), new Thief(stack, 2));
        });
    }

    @Test
    void sequentiallyTheOwnerPopsNewestFirstAndThievesTakeOldestFirst() {
        SpawnStack<Integer> stack = new SpawnStack<>(8);
        for (int i = 1; i <= 5; i++) {
            assertTrue(stack.push(i));
        }
        assertEquals(5, stack.size());
        assertEquals(5, stack.pop());
        assertEquals(1, stack.steal());
        assertEquals(4, stack.pop());
        assertEquals(2, stack.steal());
        assertEquals(3, stack.pop());
        assertEquals(null, stack.pop());
        assertEquals(null, stack.steal());
        for (int i = 1; i <= 8; i++) {
            assertTrue(stack.push(i), "push " + i);
        }
        assertTrue(!stack.push(9), "a full stack refuses");
        assertEquals(8, stack.pop());
        assertTrue(stack.push(9));
        assertEquals(9, stack.pop());
    }

    /** At least 500 interleavings per scenario: the deliberate break in the class note was caught at 500. */
    private static void check(Runnable scenario) {
        LincheckSupport.check(500, scenario);
    }
}
