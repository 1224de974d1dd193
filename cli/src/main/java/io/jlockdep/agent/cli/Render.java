package io.jlockdep.agent.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code render REPORT --html OUT.html | --dot OUT.dot}: pictures of a JSON report.
 *
 * <p>The HTML is one self-contained file (inline CSS and SVG; no script, no external font or
 * style sheet): the run's header, then each violation with its rule, message, citation, fix, an
 * SVG drawing of its cycle when it has one (lock classes as boxes on a circle, dependencies as
 * arrows, the dependency that closed the cycle in red) and the kernel-style text. The DOT file is
 * the whole dependency graph for Graphviz, with the dependencies of every reported cycle in red.
 * Every name from the report is escaped for the format it goes into.
 */
public final class Render {

    private final Map<String, Object> report;

    public Render(Map<String, Object> report) {
        if (report.get("graph") == null || report.get("violations") == null) {
            throw new IllegalArgumentException("not a jlockdep JSON report (no \"graph\" or \"violations\")");
        }
        this.report = report;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> violations() {
        return (List<Map<String, Object>>) report.get("violations");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> edges() {
        return (List<Map<String, Object>>) ((Map<String, Object>) report.get("graph")).get("edges");
    }

    /** The graph's lock classes; none when the report has no {@code classes} (optional, as {@link ReportFile} checks). */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> classes() {
        Object classes = ((Map<String, Object>) report.get("graph")).get("classes");
        return classes == null ? List.of() : (List<Map<String, Object>>) classes;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> chain(Map<String, Object> violation) {
        Object c = violation.get("chain");
        return c == null ? List.of() : (List<Map<String, Object>>) c;
    }

    static String html(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&':
                    b.append("&amp;");
                    break;
                case '<':
                    b.append("&lt;");
                    break;
                case '>':
                    b.append("&gt;");
                    break;
                case '"':
                    b.append("&quot;");
                    break;
                case '\'':
                    b.append("&#39;");
                    break;
                default:
                    b.append(c);
            }
        }
        return b.toString();
    }

    static String dot(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /** A value as text; a whole number without the ".0" the JSON reader's doubles would print. */
    private static String str(Object o) {
        if (o instanceof Number n
                && n.doubleValue() == Math.rint(n.doubleValue())
                && !Double.isInfinite(n.doubleValue())) {
            return Long.toString(n.longValue());
        }
        return o == null ? "" : String.valueOf(o);
    }

    /** "pid 4242" for one JVM's report; "merged from N reports" for merge --json's. */
    private static String origin(Map<String, Object> head) {
        if (Boolean.TRUE.equals(head.get("merged"))) {
            Object reports = head.get("reports");
            return "merged from " + (reports instanceof List<?> l ? l.size() : 0) + " report(s)";
        }
        return "pid " + str(head.get("pid"));
    }

    // ------------------------------------------------------------------ HTML

    @SuppressWarnings("unchecked")
    public String toHtml() {
        Map<String, Object> head = (Map<String, Object>) report.get("jlockdep");
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>jlockdep report")
                .append(head == null ? "" : " — " + html(origin(head)))
                .append("</title>\n<style>\n")
                .append("body{font:14px/1.45 sans-serif;margin:2em;max-width:80em;color:#222}")
                .append(
                        "h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-top:1px solid #ccc;padding-top:1em}")
                .append("code,pre{font:12px/1.35 monospace}pre{background:#f6f6f6;padding:1em;overflow-x:auto}")
                .append("dt{font-weight:bold;float:left;width:7em;clear:left}dd{margin-left:8em}")
                .append(".rule{color:#b00}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px;")
                .append("text-align:left;font:12px monospace;overflow-wrap:anywhere}svg text{font:11px monospace}")
                .append(
                        ".scroll{overflow-x:auto;max-width:100%}svg{max-width:100%;height:auto}\n</style></head><body>\n");
        b.append("<h1>jlockdep report</h1>\n<p>");
        if (head != null && Boolean.TRUE.equals(head.get("merged"))) {
            b.append(html(origin(head))).append(". ");
        } else if (head != null) {
            b.append("JVM ")
                    .append(html(str(head.get("jvm"))))
                    .append(", pid ")
                    .append(html(str(head.get("pid"))))
                    .append(", mode ")
                    .append(html(str(head.get("mode"))))
                    .append(". ");
        }
        b.append(violations().size())
                .append(" violation(s), ")
                .append(classes().size())
                .append(" lock classes, ")
                .append(edges().size())
                .append(" dependencies.</p>\n");
        int n = 0;
        for (Map<String, Object> v : violations()) {
            n++;
            b.append("<h2 id=\"v")
                    .append(n)
                    .append("\"><span class=\"rule\">")
                    .append(html(str(v.get("rule"))))
                    .append("</span> — ")
                    .append(html(str(v.get("title"))))
                    .append("</h2>\n<dl>");
            dl(b, "message", v.get("message"));
            dl(b, "thread", v.get("thread"));
            dl(b, "rule says", v.get("citation"));
            dl(b, "fix", v.get("fix"));
            b.append("</dl>\n");
            List<Map<String, Object>> chain = chain(v);
            if (!chain.isEmpty()) {
                b.append(cycleSvg(chain));
            }
            b.append("<pre>").append(html(str(v.get("text")))).append("</pre>\n");
        }
        b.append(
                "<h2>Dependencies</h2>\n<div class=\"scroll\"><table><tr><th>from</th><th>to</th><th>first by thread</th></tr>\n");
        for (Map<String, Object> e : edges()) {
            b.append("<tr><td>")
                    .append(html(str(e.get("from"))))
                    .append("</td><td>")
                    .append(html(str(e.get("to"))))
                    .append("</td><td>")
                    .append(html(str(e.get("thread"))))
                    .append("</td></tr>\n");
        }
        b.append("</table></div>\n</body></html>\n");
        return b.toString();
    }

    private static void dl(StringBuilder b, String term, Object value) {
        if (value != null) {
            b.append("<dt>")
                    .append(html(term))
                    .append("</dt><dd>")
                    .append(html(str(value)))
                    .append("</dd>");
        }
    }

    /** The cycle's classes on a circle, dependencies as arrows, the closing one (the first link) in red. */
    static String cycleSvg(List<Map<String, Object>> chain) {
        Set<String> ordered = new LinkedHashSet<>();
        for (Map<String, Object> link : chain) {
            ordered.add(str(link.get("from")));
            ordered.add(str(link.get("to")));
        }
        List<String> nodes = new ArrayList<>(ordered);
        int count = nodes.size();
        double radius = count <= 2 ? 120 : 70 + 45 * count;
        int boxW = 300;
        int boxH = 26;
        double cx = radius + boxW / 2.0 + 10;
        double cy = radius + boxH + 10;
        int width = (int) (2 * cx);
        int height = (int) (2 * cy);
        double[] x = new double[count];
        double[] y = new double[count];
        for (int i = 0; i < count; i++) {
            double a = -Math.PI / 2 + 2 * Math.PI * i / count;
            x[i] = cx + radius * Math.cos(a);
            y[i] = cy + radius * Math.sin(a);
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                        + " viewBox=\"0 0 %d %d\" role=\"img\"><title>the cycle</title>\n",
                width,
                height,
                width,
                height));
        b.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\""
                + " markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"#555\"/></marker>"
                + "<marker id=\"arrow-new\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\""
                + " markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"#c00\"/></marker></defs>\n");
        for (int k = 0; k < chain.size(); k++) {
            Map<String, Object> link = chain.get(k);
            int from = nodes.indexOf(str(link.get("from")));
            int to = nodes.indexOf(str(link.get("to")));
            double[] p = clip(x[from], y[from], x[to], y[to], boxW / 2.0, boxH / 2.0);
            double[] q = clip(x[to], y[to], x[from], y[from], boxW / 2.0, boxH / 2.0);
            String anchor = "middle";
            double labelShift = 0;
            if (hasReverse(chain, link)) {
                // A -> B and B -> A would be drawn on one line with their labels on top of each
                // other: each is moved to its own side, 14 px off the line between the boxes
                double dx = q[0] - p[0];
                double dy = q[1] - p[1];
                double len = Math.max(1, Math.hypot(dx, dy));
                double ox = -dy / len * 14;
                double oy = dx / len * 14;
                p = new double[] {p[0] + ox, p[1] + oy};
                q = new double[] {q[0] + ox, q[1] + oy};
                anchor = ox >= 0 ? "start" : "end"; // the label on the outer side of its own line
                labelShift = ox >= 0 ? 4 : -4;
            }
            boolean closing = k == 0;
            b.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
                            + " stroke-width=\"%s\" marker-end=\"url(#%s)\"><title>%s</title></line>\n",
                    p[0],
                    p[1],
                    q[0],
                    q[1],
                    closing ? "#c00" : "#555",
                    closing ? "2.5" : "1.5",
                    closing ? "arrow-new" : "arrow",
                    html((closing ? "closes the cycle, taken by " : "first taken by ") + str(link.get("thread")))));
            b.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" fill=\"%s\">%s</text>\n",
                    (p[0] + q[0]) / 2 + labelShift,
                    (p[1] + q[1]) / 2 - 4,
                    anchor,
                    closing ? "#c00" : "#555",
                    html((closing ? "new: " : "") + str(link.get("thread")))));
        }
        for (int i = 0; i < count; i++) {
            String name = nodes.get(i);
            String shown = name.length() > 42 ? name.substring(0, 20) + "…" + name.substring(name.length() - 20) : name;
            b.append(String.format(
                    Locale.ROOT,
                    "<g><title>%s</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\""
                            + " rx=\"4\" fill=\"#fff\" stroke=\"#333\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text></g>\n",
                    html(name),
                    x[i] - boxW / 2.0,
                    y[i] - boxH / 2.0,
                    boxW,
                    boxH,
                    x[i],
                    y[i] + 4,
                    html(shown)));
        }
        return b.append("</svg>\n").toString();
    }

    /** Whether the chain also has the dependency opposite to {@code link}. */
    private static boolean hasReverse(List<Map<String, Object>> chain, Map<String, Object> link) {
        for (Map<String, Object> other : chain) {
            if (str(other.get("from")).equals(str(link.get("to")))
                    && str(other.get("to")).equals(str(link.get("from")))) {
                return true;
            }
        }
        return false;
    }

    /** Where the segment from a box centre towards another point leaves the box. */
    private static double[] clip(double x0, double y0, double x1, double y1, double halfW, double halfH) {
        double dx = x1 - x0;
        double dy = y1 - y0;
        double t = Math.min(
                dx == 0 ? Double.MAX_VALUE : halfW / Math.abs(dx), dy == 0 ? Double.MAX_VALUE : halfH / Math.abs(dy));
        t = Math.min(t, 1);
        return new double[] {x0 + dx * t, y0 + dy * t};
    }

    // ------------------------------------------------------------------ DOT

    public String toDot() {
        Set<String> red = new LinkedHashSet<>();
        for (Map<String, Object> v : violations()) {
            for (Map<String, Object> link : chain(v)) {
                red.add(str(link.get("from")) + "\u0000" + str(link.get("to")));
            }
        }
        StringBuilder b =
                new StringBuilder("digraph jlockdep {\n  rankdir=LR;\n  node [shape=box, fontname=monospace];\n");
        for (Map<String, Object> c : classes()) {
            b.append("  ").append(dot(str(c.get("name")))).append(";\n");
        }
        for (Map<String, Object> e : edges()) {
            String from = str(e.get("from"));
            String to = str(e.get("to"));
            boolean inCycle = red.remove(from + "\u0000" + to);
            b.append("  ")
                    .append(dot(from))
                    .append(" -> ")
                    .append(dot(to))
                    .append(" [label=")
                    .append(dot(str(e.get("thread"))))
                    .append(inCycle ? ", color=red, fontcolor=red, penwidth=2" : "")
                    .append("];\n");
        }
        for (String closing : red) { // a dependency that closed a cycle is reported, not recorded in the graph
            String[] p = closing.split("\u0000", 2);
            b.append("  ")
                    .append(dot(p[0]))
                    .append(" -> ")
                    .append(dot(p[1]))
                    .append(" [label=\"closes a cycle\", color=red, fontcolor=red, penwidth=2, style=dashed];\n");
        }
        return b.append("}\n").toString();
    }
}
