package io.jlockdep.agent.cli;

import io.jlockdep.agent.report.Echo;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads a jlockdep JSON report for the command-line tools ({@code merge}, {@code render}) and
 * checks its shape before anyone casts a field: every object, array, string and number those
 * tools read is where and what they expect, so hostile or truncated input ends in one
 * {@link BadReportException} naming the file, the place in the document and what is wrong,
 * never in a ClassCastException, a NullPointerException or a StackOverflowError.
 */
public final class ReportFile {

    /** The largest report read (a one-minute load test writes tens of megabytes). */
    static final long MAX_BYTES = 1L << 30;

    /** A file that is not a usable jlockdep report: what is wrong, and where. */
    public static final class BadReportException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        BadReportException(Path file, String what) {
            super(Echo.quote(file.toString()) + " is not a usable jlockdep report: " + what);
        }
    }

    private ReportFile() {}

    /**
     * The report in {@code file}, its shape checked.
     *
     * @throws BadReportException not a regular file, too large, not UTF-8, not JSON, or not a report
     * @throws IOException        it cannot be read
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        if (!Files.isRegularFile(file)) {
            throw new BadReportException(file, "not a regular file");
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new BadReportException(file, "larger than " + MAX_BYTES + " bytes");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new BadReportException(file, "not UTF-8 text");
        }
        Object parsed;
        try {
            parsed = JsonReader.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadReportException(file, "not JSON: " + e.getMessage());
        }
        new Shape(file).report(parsed);
        return (Map<String, Object>) parsed;
    }

    /** Walks the document, naming the JSON path of what is wrong. */
    private static final class Shape {
        private final Path file;

        Shape(Path file) {
            this.file = file;
        }

        private BadReportException bad(String path, String what) {
            return new BadReportException(file, path + " " + what);
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> object(Object v, String path) {
            if (!(v instanceof Map)) {
                throw bad(path, "should be an object, is " + kind(v));
            }
            return (Map<String, Object>) v;
        }

        @SuppressWarnings("unchecked")
        private List<Object> array(Object v, String path, boolean optional) {
            if (v == null && optional) {
                return List.of();
            }
            if (!(v instanceof List)) {
                throw bad(path, "should be an array, is " + kind(v));
            }
            return (List<Object>) v;
        }

        private void string(Map<String, Object> o, String key, String path, boolean required) {
            Object v = o.get(key);
            if (v == null ? required : !(v instanceof String)) {
                throw bad(path + "." + key, "should be a string, is " + kind(v));
            }
        }

        private void strings(Object v, String path) {
            List<Object> list = array(v, path, true);
            for (int i = 0; i < list.size(); i++) {
                if (!(list.get(i) instanceof String)) {
                    throw bad(path + "[" + i + "]", "should be a string, is " + kind(list.get(i)));
                }
            }
        }

        void report(Object root) {
            Map<String, Object> top = object(root, "the document");
            Map<String, Object> head = object(top.get("jlockdep"), "$.jlockdep");
            if (Boolean.TRUE.equals(head.get("merged"))) {
                strings(head.get("reports"), "$.jlockdep.reports"); // merge --json: many processes, no one pid
            } else if (!(head.get("pid") instanceof Number)) {
                throw bad("$.jlockdep.pid", "should be a number, is " + kind(head.get("pid")));
            }
            List<Object> violations = array(top.get("violations"), "$.violations", false);
            for (int i = 0; i < violations.size(); i++) {
                String p = "$.violations[" + i + "]";
                Map<String, Object> v = object(violations.get(i), p);
                for (String key : List.of("rule", "title", "message", "citation", "fix", "thread", "text")) {
                    string(v, key, p, false);
                }
                List<Object> chain = array(v.get("chain"), p + ".chain", true);
                for (int k = 0; k < chain.size(); k++) {
                    dependency(chain.get(k), p + ".chain[" + k + "]");
                }
            }
            Map<String, Object> graph = object(top.get("graph"), "$.graph");
            List<Object> classes = array(graph.get("classes"), "$.graph.classes", true);
            for (int i = 0; i < classes.size(); i++) {
                string(
                        object(classes.get(i), "$.graph.classes[" + i + "]"),
                        "name",
                        "$.graph.classes[" + i + "]",
                        true);
            }
            List<Object> edges = array(graph.get("edges"), "$.graph.edges", false);
            for (int i = 0; i < edges.size(); i++) {
                dependency(edges.get(i), "$.graph.edges[" + i + "]");
            }
        }

        private void dependency(Object value, String path) {
            Map<String, Object> d = object(value, path);
            string(d, "from", path, true);
            string(d, "to", path, true);
            string(d, "thread", path, false);
            strings(d.get("stack"), path + ".stack");
        }

        private static String kind(Object v) {
            return v == null
                    ? "missing or null"
                    : v instanceof Map
                            ? "an object"
                            : v instanceof List
                                    ? "an array"
                                    : v instanceof String ? "a string" : v instanceof Number ? "a number" : "a boolean";
        }
    }
}
