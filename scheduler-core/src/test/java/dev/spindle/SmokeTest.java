package dev.spindle;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class SmokeTest {
    @Test
    void spawnAndBlockOn() throws Exception {
        try (Runtime rt = Runtime.builder().workers(2).build()) {
            JoinHandle<Integer> h = rt.spawn(cx -> Poll.ready(42));
            assertEquals(42, rt.blockOn(h));
            AtomicInteger n = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(100_000);
            for (int i = 0; i < 100_000; i++) {
                rt.execute(() -> { n.incrementAndGet(); done.countDown(); });
            }
            assertTrue(done.await(10, TimeUnit.SECONDS));
            // spawn many local
            int r = rt.blockOn(rt.spawn(new PollFuture<Integer>() {
                JoinHandle<?>[] hs;
                int i;
                public Poll<Integer> poll(Context cx) {
                    if (hs == null) {
                        hs = new JoinHandle<?>[10_000];
                        for (int k = 0; k < hs.length; k++) hs[k] = Tasks.spawn(c -> Poll.ready(null));
                    }
                    while (i < hs.length) {
                        if (hs[i].poll(cx).isPending()) return Poll.pending();
                        i++;
                    }
                    return Poll.ready(i);
                }
            }));
            assertEquals(10_000, r);
        }
    }
}
