package dev.spindle.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner end to end: a tiny JMH run in this JVM (no fork, no warm-up, one 100 ms
 * iteration) must print its progress and table and write an HTML report with a chart per
 * workload; bad names must fail before anything runs. Figures are not looked at.
 */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void tinyRunPrintsTheTableAndWritesTheReport(@TempDir Path dir) throws Exception {
        Path html = dir.resolve("report.html");
        Path json = dir.resolve("results.json");
        int status = run("--workloads", "chained_spawn,spawn_many_local", "--executors", "spindle,fjp",
                "--forks", "0", "--warmups", "0", "--iterations", "1", "--time", "100",
                "--report", html.toString(), "--json", json.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text + err.toString(StandardCharsets.UTF_8));
        assertTrue(text.contains("[1/4] spawn_many_local"), text);
        assertTrue(text.contains("[4/4] chained_spawn"), text);
        assertTrue(text.contains("spindle / best peer"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("chained_spawn ") && l.contains("x fjp")), text);
        assertTrue(text.contains("HTML report: " + html.toAbsolutePath()), text);

        String page = Files.readString(html);
        assertEquals(2, count(page, "<svg "), page);
        assertTrue(page.contains("<h2>spawn_many_local</h2>") && page.contains("<h2>chained_spawn</h2>"), page);
        assertTrue(Files.readString(json).contains("dev.spindle.bench.ChainedSpawn.run"));
    }

    @Test
    void badNamesListTheValidOnesAndExitNonzero() throws Exception {
        assertEquals(2, run("--executors", "spindle,tokio"));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("unknown executor: tokio"), message);
        assertTrue(message.contains(String.join(", ", Workloads.EXECUTORS)), message);
        assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing ran");

        err.reset();
        assertEquals(2, run("--workloads", "spawn_lots"));
        message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("unknown workload: spawn_lots"), message);
        assertTrue(message.contains(String.join(", ", Workloads.names())), message);
    }

    @Test
    void helpNamesEveryWorkloadAndExecutor() throws Exception {
        assertEquals(0, run("--help"));
        String text = out.toString(StandardCharsets.UTF_8);
        for (String w : Workloads.names()) {
            assertTrue(text.contains(w), w);
        }
        for (String e : Workloads.EXECUTORS) {
            assertTrue(text.contains(e), e);
        }
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
