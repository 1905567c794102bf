package dev.spindle.bench.runner;

import dev.spindle.bench.baseline.Peers;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The comparison a run produced, as a text table (workload × executor, time per operation with
 * its error, Spindle's ratio to the best peer) and as a self-contained HTML page with one
 * inline SVG bar chart per workload row. The best peer is the fastest of the JDK executors,
 * virtual threads and Kotlin; the serial floor is shown but never counted as a peer.
 */
public final class Report {
    private static final String[] SPINDLE_FACES = {"spindle", "spindle-exec"};

    private final List<String> executors;
    private final String shape;
    /** Row label → executor → measurement, rows in run order. */
    private final Map<String, Map<String, Measurement>> rows = new LinkedHashMap<>();

    /**
     * A report of {@code measured}, with columns for those of {@code executors} that have a
     * figure; {@code shape} describes the run (forks, iterations) for the page.
     */
    public Report(List<Measurement> measured, List<String> executors, String shape) {
        this.shape = shape;
        for (Measurement m : measured) {
            rows.computeIfAbsent(m.row(), r -> new LinkedHashMap<>()).put(m.executor(), m);
        }
        List<String> shown = new ArrayList<>();
        for (String e : executors) {
            if (rows.values().stream().anyMatch(r -> r.containsKey(e))) {
                shown.add(e);
            }
        }
        this.executors = shown;
    }

    /** Three significant figures, plain notation; "?" for NaN. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "?";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** The fastest peer in {@code row}, or null if no peer ran. */
    private static Measurement bestPeer(Map<String, Measurement> row) {
        Measurement best = null;
        for (Measurement m : row.values()) {
            if (Peers.isPeer(m.executor()) && !Peers.SERIAL.equals(m.executor())
                    && (best == null || m.score() < best.score())) {
                best = m;
            }
        }
        return best;
    }

    /** "0.62× fjp": Spindle's time over the best peer's (below 1 is faster), or "-". */
    private static String ratio(Map<String, Measurement> row, String face) {
        Measurement s = row.get(face);
        Measurement best = bestPeer(row);
        if (s == null || best == null) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2fx %s", s.score() / best.score(), best.executor());
    }

    private List<String> ratioColumns() {
        List<String> cols = new ArrayList<>();
        for (String face : SPINDLE_FACES) {
            if (executors.contains(face)) {
                cols.add(face);
            }
        }
        return cols;
    }

    private boolean hasAllocation() {
        return rows.values().stream().flatMap(r -> r.values().stream()).anyMatch(m -> !Double.isNaN(m.allocBytesPerOp()));
    }

    private String unit() {
        return rows.values().stream().flatMap(r -> r.values().stream()).map(Measurement::unit).findFirst().orElse("us/op");
    }

    /** The text table: time per operation ± error per executor, then Spindle's ratios. */
    public String table() {
        List<String> header = new ArrayList<>();
        header.add("workload (" + unit() + ")");
        header.addAll(executors);
        for (String face : ratioColumns()) {
            header.add(face + " / best peer");
        }
        List<List<String>> body = new ArrayList<>();
        for (Map.Entry<String, Map<String, Measurement>> r : rows.entrySet()) {
            List<String> line = new ArrayList<>();
            line.add(r.getKey());
            for (String e : executors) {
                Measurement m = r.getValue().get(e);
                line.add(m == null ? "-" : number(m.score()) + " ± " + number(m.error()));
            }
            for (String face : ratioColumns()) {
                line.add(ratio(r.getValue(), face));
            }
            body.add(line);
        }
        StringBuilder sb = new StringBuilder(align(header, body));
        if (hasAllocation()) {
            List<String> allocHeader = new ArrayList<>();
            allocHeader.add("allocated (bytes/op)");
            allocHeader.addAll(executors);
            List<List<String>> allocBody = new ArrayList<>();
            for (Map.Entry<String, Map<String, Measurement>> r : rows.entrySet()) {
                List<String> line = new ArrayList<>();
                line.add(r.getKey());
                for (String e : executors) {
                    Measurement m = r.getValue().get(e);
                    line.add(m == null ? "-" : number(m.allocBytesPerOp()));
                }
                allocBody.add(line);
            }
            sb.append('\n').append(align(allocHeader, allocBody));
        }
        return sb.toString();
    }

    private static String align(List<String> header, List<List<String>> body) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> line : body) {
                w[i] = Math.max(w[i], line.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendLine(sb, header, w);
        List<String> rule = new ArrayList<>();
        for (int width : w) {
            rule.add("-".repeat(width));
        }
        appendLine(sb, rule, w);
        for (List<String> line : body) {
            appendLine(sb, line, w);
        }
        return sb.toString();
    }

    private static void appendLine(StringBuilder sb, List<String> cells, int[] w) {
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            if (i == 0) {
                sb.append(c).append(" ".repeat(w[i] - c.length()));
            } else {
                sb.append("  ").append(" ".repeat(w[i] - c.length())).append(c);
            }
        }
        sb.append('\n');
    }

    /** The whole HTML page: the run's shape, the table, and one SVG bar chart per workload row. */
    public String html() {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>Spindle comparative run</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#222}\n")
                .append("table{border-collapse:collapse;font-size:90%}td,th{padding:.25em .6em;border-bottom:1px solid #ddd;text-align:right}\n")
                .append("td:first-child,th:first-child{text-align:left}section{margin:1.5em 0}\n")
                .append("svg text{font-size:12px;font-family:system-ui,sans-serif}\n</style></head><body>\n")
                .append("<h1>Spindle comparative run</h1>\n<p>")
                .append(escape(ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME)))
                .append("; Java ").append(escape(System.getProperty("java.version")))
                .append("; ").append(java.lang.Runtime.getRuntime().availableProcessors()).append(" cores; ")
                .append(escape(shape)).append(".</p>\n")
                .append("<p>Time per operation (").append(escape(unit()))
                .append("), lower is better; the whisker is JMH's 99.9% error. The ratio is Spindle's time over the ")
                .append("fastest peer's; <em>serial</em> is the same work on one thread, the floor.</p>\n");
        h.append("<table><tr><th>workload</th>");
        for (String e : executors) {
            h.append("<th>").append(escape(e)).append("</th>");
        }
        for (String face : ratioColumns()) {
            h.append("<th>").append(escape(face)).append(" / best peer</th>");
        }
        h.append("</tr>\n");
        for (Map.Entry<String, Map<String, Measurement>> r : rows.entrySet()) {
            h.append("<tr><td>").append(escape(r.getKey())).append("</td>");
            for (String e : executors) {
                Measurement m = r.getValue().get(e);
                h.append("<td>").append(m == null ? "-" : escape(number(m.score()) + " ± " + number(m.error()))).append("</td>");
            }
            for (String face : ratioColumns()) {
                h.append("<td>").append(escape(ratio(r.getValue(), face))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
        if (hasAllocation()) {
            h.append("<h2>Allocated per operation (bytes, -prof gc)</h2>\n<table><tr><th>workload</th>");
            for (String e : executors) {
                h.append("<th>").append(escape(e)).append("</th>");
            }
            h.append("</tr>\n");
            for (Map.Entry<String, Map<String, Measurement>> r : rows.entrySet()) {
                h.append("<tr><td>").append(escape(r.getKey())).append("</td>");
                for (String e : executors) {
                    Measurement m = r.getValue().get(e);
                    h.append("<td>").append(m == null ? "-" : escape(number(m.allocBytesPerOp()))).append("</td>");
                }
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
        for (Map.Entry<String, Map<String, Measurement>> r : rows.entrySet()) {
            h.append("<section><h2>").append(escape(r.getKey())).append("</h2>\n");
            chart(h, r.getValue());
            h.append("</section>\n");
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    /** One horizontal bar per executor, with its error whisker and its figure. */
    private void chart(StringBuilder h, Map<String, Measurement> row) {
        List<Measurement> bars = new ArrayList<>();
        for (String e : executors) {
            if (row.containsKey(e)) {
                bars.add(row.get(e));
            }
        }
        int labelWidth = 100;
        int plotWidth = 460;
        int textWidth = 140;
        int barHeight = 20;
        int gap = 6;
        int height = bars.size() * (barHeight + gap) + gap;
        double max = 0;
        for (Measurement m : bars) {
            double top = m.score() + (Double.isNaN(m.error()) ? 0 : m.error());
            max = Math.max(max, top);
        }
        if (max <= 0) {
            max = 1;
        }
        h.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">%n",
                labelWidth + plotWidth + textWidth, height));
        int y = gap;
        for (Measurement m : bars) {
            double len = m.score() / max * plotWidth;
            String colour = m.executor().startsWith("spindle") ? "#d9480f"
                    : Peers.SERIAL.equals(m.executor()) ? "#adb5bd" : "#4263eb";
            int mid = y + barHeight / 2;
            h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" dominant-baseline=\"middle\">%s</text>",
                    labelWidth - 6, mid, escape(m.executor())));
            h.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>",
                    labelWidth, y, Math.max(len, 1), barHeight, colour,
                    escape(m.executor() + ": " + number(m.score()) + " ± " + number(m.error()) + " " + m.unit())));
            double end = len;
            if (!Double.isNaN(m.error()) && m.error() > 0) {
                double lo = Math.max(0, m.score() - m.error()) / max * plotWidth;
                double hi = (m.score() + m.error()) / max * plotWidth;
                end = hi;
                h.append(String.format(Locale.ROOT,
                        "<path d=\"M%.1f %dH%.1fM%.1f %dV%dM%.1f %dV%d\" stroke=\"#222\" fill=\"none\"/>",
                        labelWidth + lo, mid, labelWidth + hi, labelWidth + lo, mid - 4, mid + 4,
                        labelWidth + hi, mid - 4, mid + 4));
            }
            h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" dominant-baseline=\"middle\">%s</text>%n",
                    labelWidth + end + 6, mid, escape(number(m.score()) + " " + m.unit())));
            y += barHeight + gap;
        }
        h.append("</svg>\n");
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                case '&': sb.append("&amp;"); break;
                case '"': sb.append("&quot;"); break;
                default: sb.append(c);
            }
        }
        return sb.toString();
    }
}
