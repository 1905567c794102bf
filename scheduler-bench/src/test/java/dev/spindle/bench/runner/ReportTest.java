package dev.spindle.bench.runner;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report from made-up figures: ratios against the best peer, and one chart per row. */
class ReportTest {
    private static final List<String> EXECUTORS = List.of("spindle", "spindle-exec", "fjp", "tpe", "kotlin", "serial");

    private static Measurement m(String row, String executor, double score, double error) {
        return new Measurement(row, row, executor, score, error, "us/op", Double.NaN);
    }

    @Test
    void ratioIsAgainstTheFastestPeerNotTheFloor() {
        Report r = new Report(List.of(
                m("ping_pong", "spindle", 50, 2),
                m("ping_pong", "spindle-exec", 80, 3),
                m("ping_pong", "fjp", 100, 5),
                m("ping_pong", "tpe", 200, 9),
                m("ping_pong", "serial", 10, 0.5)), EXECUTORS, "test");
        String table = r.table();
        assertTrue(table.contains("0.50x fjp"), table);
        assertTrue(table.contains("0.80x fjp"), table);
        assertTrue(table.contains("50.0 ± 2.00"), table);
        assertFalse(table.contains("kotlin"), "a column without figures is left out:\n" + table);
    }

    @Test
    void htmlHasOneSvgPerRowAndNoOutsideReferences() {
        Report r = new Report(List.of(
                m("spawn_many_local", "spindle", 900, 10),
                m("spawn_many_local", "fjp", 700, Double.NaN),
                m("remote_contention (4 producers)", "fjp", 1200, 40),
                m("remote_contention (4 producers)", "spindle", 1000, 30)), EXECUTORS, "test");
        String html = r.html();
        assertEquals(2, count(html, "<svg "));
        assertEquals(2, count(html, "</svg>"));
        assertTrue(html.contains("<h2>remote_contention (4 producers)</h2>"), html);
        assertFalse(html.contains("src="), "nothing is fetched from elsewhere");
        assertFalse(html.contains("<link"), "nothing is fetched from elsewhere");
        assertTrue(r.table().contains("700 ± ?"), r.table());
    }

    @Test
    void allocationGetsItsOwnTableWhenProfiled() {
        Report r = new Report(List.of(new Measurement("chained_spawn", "chained_spawn", "spindle", 80, 2, "us/op", 48_000),
                new Measurement("chained_spawn", "chained_spawn", "fjp", 40, 1, "us/op", 24_000)), EXECUTORS, "test");
        assertTrue(r.table().contains("allocated (bytes/op)"), r.table());
        assertTrue(r.table().contains("48000"), r.table());
        assertTrue(r.html().contains("Allocated per operation"), r.html());
    }

    @Test
    void textIsEscapedInHtml() {
        String html = new Report(List.of(m("a<b>&c", "fjp", 1, 0.1)), EXECUTORS, "x<y").html();
        assertTrue(html.contains("a&lt;b&gt;&amp;c"), html);
        assertFalse(html.contains("a<b>"), html);
    }

    static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
