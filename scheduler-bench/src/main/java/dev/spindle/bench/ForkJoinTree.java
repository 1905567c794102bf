package dev.spindle.bench;

import dev.spindle.Context;
import dev.spindle.Poll;
import dev.spindle.PollFuture;
import dev.spindle.Tasks;
import org.openjdk.jmh.annotations.Benchmark;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;

/**
 * Stresses local spawns and stealing in a fan-out, ForkJoinPool's home ground: a binary tree
 * of depth 16 (65,536 leaves) where each node spawns its two children and the last child to
 * finish completes its parent, with no blocking joins.
 *
 * <p>Every executor runs the same tree of nodes. Native Spindle nodes spawn their children
 * with {@link Tasks#spawn}; on every other executor a node calls {@code execute} from inside
 * its own task, which ForkJoinPool (like Spindle) turns into a push onto the calling worker's
 * own queue: in LIFO mode a depth-first walk whose big subtrees are left at the cold end for
 * thieves, which is what ForkJoinPool is built for.
 *
 * <p>The nodes are built once per trial and reused, so the figures hold no allocation of the
 * workload's own: {@code gc.alloc.rate.norm} divided by {@value #NODES} is what the executor
 * allocates per spawn.
 */
public class ForkJoinTree extends BenchmarkBase {
    static final int DEPTH = 16;
    /** Every node, inner ones and leaves alike, is one task. */
    static final int NODES = (1 << (DEPTH + 1)) - 1;

    private static final VarHandle PENDING;

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(Node.class, "pending", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Node root;

    @Override
    protected void prepare() {
        root = new Node(null, 0);
    }

    @Benchmark
    @Override
    public void run() throws Exception {
        done.arm(1);
        if (nativeTasks) {
            runtime.spawn(root);
        } else {
            pool.execute(root);
        }
        awaitDone();
    }

    /** Every node ran once per operation, and every inner node heard from both children. */
    @Override
    void checkResult(int operations) {
        ArrayDeque<Node> left = new ArrayDeque<>();
        left.push(root);
        int nodes = 0;
        while (!left.isEmpty()) {
            Node n = left.pop();
            nodes++;
            if (n.runs != operations || n.pending != 0) {
                throw new IllegalStateException("a node at depth " + n.depth + " ran " + n.runs + " times in "
                        + operations + " operations and waits for " + n.pending + " children");
            }
            if (n.left != null) {
                left.push(n.left);
                left.push(n.right);
            }
        }
        if (nodes != NODES) {
            throw new IllegalStateException("the tree has " + nodes + " nodes, not " + NODES);
        }
    }

    /** One node of the tree: a task on any executor, as a runnable or as a native future. */
    private final class Node implements Runnable, PollFuture<Void> {
        final Node parent;
        /** The children, both null for a leaf. */
        final Node left;
        final Node right;
        final int depth;
        /**
         * Children not finished yet. Set to 2 before the children are spawned (the spawn
         * publishes it); only they change it afterwards, through {@link #PENDING}.
         */
        int pending;
        /** How many times this node ran; only its own task writes it, tests read it between operations. */
        int runs;

        Node(Node parent, int depth) {
            this.parent = parent;
            this.depth = depth;
            this.left = depth < DEPTH ? new Node(this, depth + 1) : null;
            this.right = depth < DEPTH ? new Node(this, depth + 1) : null;
        }

        @Override
        public void run() {
            runs++;
            if (left == null) {
                finish();
                return;
            }
            pending = 2;
            ExecutorService p = pool;
            p.execute(left);
            p.execute(right);
        }

        @Override
        public Poll<Void> poll(Context cx) {
            runs++;
            if (left == null) {
                finish();
            } else {
                pending = 2;
                Tasks.spawn(left);
                Tasks.spawn(right);
            }
            return Poll.ready(null);
        }

        /** This node's subtree is done: the parent hears of it, and the last child carries on upward. */
        private void finish() {
            Node n = this;
            for (Node p; (p = n.parent) != null; n = p) {
                // Volatile read-modify-write: of two children, exactly one sees 1, and it sees all
                // that its sibling's subtree did before its own decrement.
                if ((int) PENDING.getAndAdd(p, -1) != 1) {
                    return;
                }
            }
            done.countDown();
        }
    }
}
