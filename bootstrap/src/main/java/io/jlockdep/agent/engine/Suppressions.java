package io.jlockdep.agent.engine;

import io.jlockdep.api.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Pattern;

/**
 * The user's judged reports, as ThreadSanitizer's and Valgrind's suppression files give them
 * (option {@code suppress=FILE}): an entry names a rule and, optionally, lock classes and frames;
 * a violation it matches is not printed, not thrown and does not fail a test, but it is counted
 * against the entry, and the report lists every entry with its count, so an entry that matched
 * nothing in a run shows as unused. Nothing is lost silently.
 */
public final class Suppressions {

    /** No suppression: every violation is reported. */
    public static final Suppressions NONE = new Suppressions(List.of());

    /**
     * One entry.
     *
     * @param source where it is written ({@code file:line})
     * @param text the entry as written
     * @param rule the rule IDs it covers (a glob)
     * @param classes each must match a lock class the violation is about (globs; see {@link #classNames})
     * @param frames each must match a frame, {@code Class.method}, of one of the violation's stacks (globs)
     */
    public record Entry(String source, String text, Pattern rule, List<Pattern> classes, List<Pattern> frames) {
        public Entry {
            classes = List.copyOf(classes);
            frames = List.copyOf(frames);
        }

        /** Whether this entry covers {@code v}. */
        public boolean matches(Violation v) {
            if (!rule.matcher(v.rule()).matches()) {
                return false;
            }
            List<String> names = classNames(v);
            for (Pattern p : classes) {
                if (!anyMatches(p, names)) {
                    return false;
                }
            }
            if (!frames.isEmpty()) {
                List<String> stackFrames = stackFrames(v);
                for (Pattern p : frames) {
                    if (!anyMatches(p, stackFrames)) {
                        return false;
                    }
                }
            }
            return true;
        }

        private static boolean anyMatches(Pattern p, List<String> values) {
            for (String s : values) {
                if (p.matcher(s).matches()) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * An entry and how many distinct violations it suppressed in this run.
     *
     * @param entry the entry
     * @param count the violations it covered (0: unused)
     */
    public record Count(Entry entry, long count) {}

    private final List<Entry> entries;
    private final AtomicLongArray counts;

    public Suppressions(List<Entry> entries) {
        this.entries = List.copyOf(entries);
        this.counts = new AtomicLongArray(this.entries.size());
    }

    /** Whether there is no entry. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The first entry that covers {@code v}, counted; or null (report it). */
    Entry suppress(Violation v) {
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.matches(v)) {
                counts.incrementAndGet(i);
                return e;
            }
        }
        return null;
    }

    /** Every entry, in file order, with its count so far. */
    public List<Count> counts() {
        List<Count> result = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            result.add(new Count(entries.get(i), counts.get(i)));
        }
        return result;
    }

    /** A glob ({@code *} any run of characters, {@code ?} one) as a pattern over the whole string. */
    public static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    /**
     * The lock classes a violation is about: the one being acquired or released and the classes
     * of its cycle; for a violation with neither (a lock held at exit, a deadlock), the locks
     * held. Other locks merely held at the time are not among them.
     */
    static List<String> classNames(Violation v) {
        List<String> names = new ArrayList<>();
        if (v.acquiring() != null) {
            names.add(v.acquiring().className());
        }
        for (Violation.ChainLink link : v.chain()) {
            names.add(link.from());
            names.add(link.to());
        }
        if (names.isEmpty()) {
            for (Violation.LockInfo h : v.held()) {
                names.add(h.className());
            }
        }
        return names;
    }

    /** Every frame of every stack a violation carries, as {@code Class.method}. */
    static List<String> stackFrames(Violation v) {
        List<String> frames = new ArrayList<>();
        addFrames(frames, v.stack());
        if (v.acquiring() != null) {
            addFrames(frames, v.acquiring().acquiredAt());
        }
        for (Violation.LockInfo h : v.held()) {
            addFrames(frames, h.acquiredAt());
        }
        for (Violation.ChainLink link : v.chain()) {
            addFrames(frames, link.stack());
        }
        return frames;
    }

    private static void addFrames(List<String> into, StackTraceElement[] stack) {
        if (stack != null) {
            for (StackTraceElement f : stack) {
                into.add(f.getClassName() + "." + f.getMethodName());
            }
        }
    }
}
