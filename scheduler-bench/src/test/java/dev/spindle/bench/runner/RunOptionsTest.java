package dev.spindle.bench.runner;

import dev.spindle.bench.Workloads;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner's command line: defaults, subsets, and messages that name the valid choices. */
class RunOptionsTest {
    @Test
    void noArgumentsIsTheQuickRunOfEverything() {
        RunOptions o = RunOptions.parse();
        assertFalse(o.full);
        assertFalse(o.help());
        assertEquals(Workloads.names(), o.workloads);
        assertEquals(Workloads.EXECUTORS, o.executors);
        assertNull(o.json);
        assertNull(o.jmhArgs());
        assertEquals(10, Workloads.names().size());
        assertEquals(8, Workloads.EXECUTORS.size());
    }

    @Test
    void subsetsKeepTheReportOrder() {
        RunOptions o = RunOptions.parse("--full", "--workloads", "ping_pong,spawn_many_local",
                "--executors", "fjp,spindle", "--json", "out.json");
        assertTrue(o.full);
        assertEquals(List.of("spawn_many_local", "ping_pong"), o.workloads);
        assertEquals(List.of("spindle", "fjp"), o.executors);
        assertEquals(Path.of("out.json"), o.json);
    }

    @Test
    void unknownWorkloadListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunOptions.parse("--workloads", "ping_pong,pingpong"));
        assertTrue(e.getMessage().startsWith("unknown workload: pingpong;"), e.getMessage());
        for (String w : Workloads.names()) {
            assertTrue(e.getMessage().contains(w), e.getMessage());
        }
    }

    @Test
    void unknownExecutorsListTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunOptions.parse("--executors", "tokio,fjp,rayon"));
        assertTrue(e.getMessage().startsWith("unknown executors: tokio, rayon;"), e.getMessage());
        assertTrue(e.getMessage().contains("valid executors: " + String.join(", ", Workloads.EXECUTORS)), e.getMessage());
    }

    @Test
    void malformedArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RunOptions.parse("--frobnicate"));
        assertThrows(IllegalArgumentException.class, () -> RunOptions.parse("--workloads"));
        assertThrows(IllegalArgumentException.class, () -> RunOptions.parse("--workloads", "--full"));
        assertThrows(IllegalArgumentException.class, () -> RunOptions.parse("--executors", ","));
        assertThrows(IllegalArgumentException.class, () -> RunOptions.parse("--forks", "two"));
        assertThrows(IllegalArgumentException.class, () -> RunOptions.parse("--iterations", "0"));
    }

    @Test
    void everythingAfterJmhGoesToJmhUnchanged() {
        RunOptions o = RunOptions.parse("--jmh", "PingPong", "-p", "executor=fjp", "--full");
        assertEquals(List.of("PingPong", "-p", "executor=fjp", "--full"), o.jmhArgs());
        assertFalse(o.full);
    }
}
