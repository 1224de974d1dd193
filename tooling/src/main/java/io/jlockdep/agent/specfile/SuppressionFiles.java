package io.jlockdep.agent.specfile;

import io.jlockdep.agent.engine.Suppressions;
import io.jlockdep.agent.report.Echo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads suppression files (option {@code suppress=FILE[;FILE...]}). One entry per line; {@code #}
 * starts a comment:
 *
 * <pre>
 * # Lucene 2.x flushes only after pauseAllThreads(): the two orders never overlap
 * lockdep/circular-dependency class=*DocumentsWriter* class=*TermsHash* frame=org.apache.lucene.index.*
 * </pre>
 *
 * The first word is a rule ID or a glob over rule IDs, which must name at least one rule known to
 * this JVM (built-in or of a loaded spec); then selectors, each {@code class=GLOB} (a lock class
 * of the violation) or {@code frame=GLOB} (a {@code Class.method} frame of one of its stacks);
 * a value with spaces is written in double quotes ({@code class="ReentrantLock at com.example.*"},
 * {@code \"} and {@code \\} inside). An entry covers a violation when the rule matches and every
 * selector matches. Parsed strictly: a malformed entry stops the JVM at start, naming
 * file:line:column.
 */
public final class SuppressionFiles {

    private SuppressionFiles() {}

    /**
     * Reads the files.
     *
     * @param knownRules every rule ID of this JVM: a rule glob must match one
     * @throws IllegalArgumentException an unreadable file or a malformed entry, named
     */
    public static Suppressions load(List<Path> files, Collection<String> knownRules) {
        List<Suppressions.Entry> entries = new ArrayList<>();
        for (Path file : files) {
            String text = SpecFiles.readBounded(file, "suppress", "suppression");
            try {
                entries.addAll(parse(file.toString(), text, knownRules));
            } catch (SpecException e) {
                throw new IllegalArgumentException("malformed suppression file " + e.getMessage(), e);
            }
        }
        return new Suppressions(entries);
    }

    /** Parses one file's text. */
    static List<Suppressions.Entry> parse(String source, String text, Collection<String> knownRules) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Suppressions.Entry> entries = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            Suppressions.Entry e = parseLine(source, n + 1, lines[n], knownRules);
            if (e != null) {
                entries.add(e);
            }
        }
        return entries;
    }

    private static Suppressions.Entry parseLine(String source, int line, String text, Collection<String> knownRules) {
        List<Pattern> classes = new ArrayList<>();
        List<Pattern> frames = new ArrayList<>();
        Pattern rule = null;
        int i = 0;
        int end = text.length();
        while (true) {
            while (i < end && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= end || text.charAt(i) == '#') {
                break;
            }
            int start = i;
            if (rule == null) {
                while (i < end && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '#') {
                    i++;
                }
                String id = text.substring(start, i);
                if (!id.matches("[a-z0-9*?-]+(/[a-z0-9*?-]+)?") || !id.contains("/") && !id.equals("*")) {
                    throw new SpecException(
                            source,
                            line,
                            start + 1,
                            "expected a rule ID such as"
                                    + " lockdep/circular-dependency (or a glob over rule IDs), found "
                                    + Echo.quote(id));
                }
                rule = Suppressions.glob(id);
                if (!matchesAny(rule, knownRules)) {
                    throw new SpecException(
                            source,
                            line,
                            start + 1,
                            "rule " + Echo.quote(id)
                                    + " matches no rule of this JVM (the built-in ones are listed in the README; a spec's"
                                    + " rules are SPEC/RULE)");
                }
                continue;
            }
            int eq = text.indexOf('=', start);
            String key = eq < 0 ? "" : text.substring(start, eq);
            if (!key.equals("class") && !key.equals("frame")) {
                int stop = start;
                while (stop < end && !Character.isWhitespace(text.charAt(stop)) && text.charAt(stop) != '=') {
                    stop++;
                }
                throw new SpecException(
                        source,
                        line,
                        start + 1,
                        "unknown selector " + Echo.quote(text.substring(start, stop))
                                + " (expected class=GLOB or frame=GLOB)");
            }
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < end && text.charAt(i) == '"') {
                int open = i;
                i = SpecParser.readQuoted(text, open, value);
                if (i < 0) {
                    throw new SpecException(source, line, open + 1, "unterminated quoted value");
                }
                if (i < end && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '#') {
                    throw new SpecException(source, line, i + 1, "expected a space after the quoted value");
                }
            } else {
                while (i < end && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '#') {
                    value.append(text.charAt(i));
                    i++;
                }
            }
            if (value.length() == 0) {
                throw new SpecException(source, line, eq + 2, key + "= has no pattern");
            }
            (key.equals("class") ? classes : frames).add(Suppressions.glob(value.toString()));
        }
        if (rule == null) {
            return null; // blank or comment
        }
        return new Suppressions.Entry(source + ":" + line, text.substring(0, i).strip(), rule, classes, frames);
    }

    private static boolean matchesAny(Pattern rule, Collection<String> knownRules) {
        for (String r : knownRules) {
            if (rule.matcher(r).matches()) {
                return true;
            }
        }
        return false;
    }
}
