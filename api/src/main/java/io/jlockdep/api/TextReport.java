package io.jlockdep.api;

import java.util.List;

/**
 * Renders a {@link Violation} the way the kernel's lockdep prints its reports
 * (kernel/locking/lockdep.c: print_circular_bug, print_deadlock_bug, print_unlock_imbalance_bug,
 * lockdep_print_held_locks), so that a kernel developer reads it at a glance: the headline
 * between rules of '=', what the thread is trying to acquire, what it already holds, for cycles
 * the existing dependency chain in reverse order with the stack of each dependency's first
 * occurrence and the "possible unsafe locking scenario" table, the held locks, the stack, and
 * then what the kernel leaves to the reader: the rule, where it is stated, and how to fix it.
 */
public final class TextReport {

    private static final int MAX_FRAMES = 12;

    private TextReport() {}

    /** What the thread does to the lock a violation is about, as the report's second paragraph says it. */
    private static String action(String rule) {
        if (rule.equals(Rules.GUARD_UNGUARDED_READ)
                || rule.equals(Rules.GUARD_UNGUARDED_WRITE)
                || rule.equals(Rules.GUARD_NOT_HOLDING)) {
            return " must hold"; // lockdep_assert_held(): nothing is being taken
        }
        return rule.endsWith("unlock-balance")
                        || rule.endsWith("unlock-not-held")
                        || rule.equals(Rules.GUARD_RELEASED_LOCK)
                ? " is trying to release"
                : " is trying to acquire";
    }

    /**
     * The kernel-style text of a violation, as the agent prints it.
     *
     * @param v the violation
     * @return the report, several lines
     */
    public static String render(Violation v) {
        StringBuilder sb = new StringBuilder(2048);
        String headline = "WARNING: " + v.title();
        String bar = "=".repeat(Math.max(38, headline.length()));
        sb.append('\n').append(bar).append('\n').append(headline).append('\n');
        sb.append("jlockdep: rule ").append(v.rule()).append('\n');
        sb.append("-".repeat(bar.length())).append('\n');
        String threadName = Printable.escape(v.threadName()); // a name cannot forge a log line
        String thread = threadName + "/" + v.threadId();
        sb.append(v.message()).append("\n\n");

        Violation.LockInfo acq = v.acquiring();
        List<Violation.ChainLink> chain = v.chain();
        if (!chain.isEmpty()) {
            sb.append(thread).append(" is trying to acquire lock:\n");
            sb.append(" (")
                    .append(acq.label())
                    .append(") ")
                    .append(acq.instance())
                    .append(", at: ")
                    .append(top(v.stack()))
                    .append("\n\n");
            sb.append("but task is already holding lock:\n");
            Violation.LockInfo prev = findHeld(v, chain.get(0).from());
            if (prev != null) {
                sb.append(" (")
                        .append(prev.label())
                        .append(") ")
                        .append(prev.instance())
                        .append(", at: ")
                        .append(prev.where())
                        .append("\n\n");
            } else {
                sb.append(" (").append(chain.get(0).from()).append(")\n\n");
            }
            sb.append("which lock already depends on the new lock.\n\n\n");
            sb.append("the existing dependency chain (in reverse order) is:\n");
            int n = chain.size() - 1;
            for (int i = chain.size() - 1; i >= 1; i--) {
                Violation.ChainLink link = chain.get(i);
                sb.append("\n-> #").append(n--).append(" (").append(link.to()).append("):\n");
                sb.append("       [first taken after ")
                        .append(link.from())
                        .append(" by ")
                        .append(link.thread())
                        .append("]\n");
                frames(sb, link.stack(), "       ");
            }
            Violation.ChainLink closing = chain.get(0);
            sb.append("\n-> #0 (").append(closing.to()).append("):\n");
            sb.append("       [now taken after ")
                    .append(closing.from())
                    .append(" by ")
                    .append(closing.thread())
                    .append("]\n");
            frames(sb, closing.stack(), "       ");
            sb.append("\nother info that might help us debug this:\n\n");
            scenario(sb, v);
            objects(sb, chain);
        } else if (acq != null) {
            sb.append(thread).append(action(v.rule())).append(" lock:\n");
            sb.append(" (")
                    .append(acq.label())
                    .append(") ")
                    .append(acq.instance())
                    .append(", at: ")
                    .append(top(v.stack()))
                    .append("\n\n");
            if (v.rule().equals("lockdep/recursive-locking")) {
                Violation.LockInfo same = findHeld(v, acq.className());
                if (same != null) {
                    sb.append("but task is already holding lock:\n");
                    sb.append(" (")
                            .append(same.label())
                            .append(") ")
                            .append(same.instance())
                            .append(", at: ")
                            .append(same.where())
                            .append("\n\n");
                }
                sb.append("other info that might help us debug this:\n");
                sb.append(" Possible unsafe locking scenario:\n\n");
                sb.append("       ").append(threadName).append('\n');
                sb.append("       ")
                        .append("-".repeat(Math.max(4, threadName.length())))
                        .append('\n');
                sb.append("  lock(").append(acq.className()).append(");\n");
                sb.append("  lock(").append(acq.className()).append(");\n\n");
                sb.append(" *** DEADLOCK ***\n\n");
                sb.append(" May be due to missing lock nesting notation\n\n");
            }
        }

        List<Violation.LockInfo> held = v.held();
        if (held.isEmpty()) {
            sb.append("no locks held by ").append(thread).append(".\n");
        } else {
            sb.append(held.size())
                    .append(held.size() == 1 ? " lock" : " locks")
                    .append(" held by ")
                    .append(thread)
                    .append(":\n");
            for (int i = 0; i < held.size(); i++) {
                Violation.LockInfo h = held.get(i);
                sb.append(" #")
                        .append(i)
                        .append(": (")
                        .append(h.label())
                        .append(") ")
                        .append(h.instance())
                        .append(", at: ")
                        .append(h.where())
                        .append('\n');
            }
        }
        sb.append("\nstack backtrace:\n");
        frames(sb, v.stack(), "  ");
        sb.append("\nrule:  ").append(v.rule()).append('\n');
        sb.append("cites: ").append(v.citation()).append('\n');
        sb.append("fix:   ").append(v.fix()).append('\n');
        return sb.toString();
    }

    /**
     * The kernel's print_circular_lock_scenario: the held lock (target), the lock being taken
     * (source), and the lock the other side holds when it takes the target (parent).
     */
    private static void scenario(StringBuilder sb, Violation v) {
        List<Violation.ChainLink> chain = v.chain();
        String target = chain.get(0).from();
        String source = chain.get(0).to();
        Violation.ChainLink last = chain.get(chain.size() - 1);
        String parent = last.from();
        String me = Printable.escape(v.threadName());
        String other = last.thread().equals(me) ? me + " (earlier)" : last.thread();
        if (!parent.equals(source)) {
            sb.append("Chain exists of:\n  ")
                    .append(source)
                    .append(" --> ")
                    .append(parent)
                    .append(" --> ")
                    .append(target)
                    .append("\n\n");
        }
        sb.append(" Possible unsafe locking scenario:\n\n");
        int col = Math.max(24, me.length() + 4);
        sb.append("       ").append(pad(me, col)).append(other).append('\n');
        sb.append("       ").append(pad("----", col)).append("----").append('\n');
        sb.append("  ").append(pad("lock(" + target + ");", col + 5)).append('\n');
        sb.append("  ").append(pad("", col + 5)).append("lock(").append(parent).append(");\n");
        sb.append("  ").append(pad("", col + 5)).append("lock(").append(target).append(");\n");
        sb.append("  lock(").append(source).append(");\n\n");
        sb.append(" *** DEADLOCK ***\n\n");
    }

    /**
     * When one class's place in the cycle was taken by two different objects (the dependency into
     * it first seen on one, the one out of it on another), says so, with each object: a deadlock
     * needs one object in both places, which a class-level report predicts but cannot know.
     */
    private static void objects(StringBuilder sb, List<Violation.ChainLink> chain) {
        List<String> lines = new java.util.ArrayList<>();
        int m = chain.size();
        for (int j = 0; j < m; j++) { // cycle order: chain[0] is held -> new, chain[1..] new ->* held
            Violation.ChainLink in = chain.get(j);
            Violation.ChainLink out = chain.get((j + 1) % m);
            if (!in.toInstance().isEmpty()
                    && !out.fromInstance().isEmpty()
                    && !in.toInstance().equals(out.fromInstance())) {
                lines.add("  " + in.to() + ": " + in.toInstance() + " taken after " + in.from() + " (by "
                        + in.thread() + "), " + out.fromInstance() + " held when " + out.to() + " was taken (by "
                        + out.thread() + ")");
            }
        }
        if (lines.isEmpty()) {
            return;
        }
        sb.append("The cycle joins different objects of one lock class:\n");
        for (String line : lines) {
            sb.append(line).append('\n');
        }
        sb.append("A deadlock needs one object in both places. If no object can be (the objects play"
                + " different roles), this is a false positive: give them lock classes of their own"
                + " (Jlockdep.setClass, or a spec's class statement).\n\n");
    }

    private static Violation.LockInfo findHeld(Violation v, String className) {
        List<Violation.LockInfo> held = v.held();
        for (int i = held.size() - 1; i >= 0; i--) {
            Violation.LockInfo h = held.get(i);
            if (h.className().equals(className) || className.startsWith(h.className() + " ")) {
                return h;
            }
        }
        return null;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }

    private static String top(StackTraceElement[] stack) {
        return stack.length == 0 ? "(unknown)" : stack[0].toString();
    }

    private static void frames(StringBuilder sb, StackTraceElement[] stack, String indent) {
        if (stack.length == 0) {
            sb.append(indent).append("(no stack recorded)\n");
            return;
        }
        int n = Math.min(stack.length, MAX_FRAMES);
        for (int i = 0; i < n; i++) {
            sb.append(indent).append(stack[i]).append('\n');
        }
        if (stack.length > n) {
            sb.append(indent).append("... ").append(stack.length - n).append(" more\n");
        }
    }
}
