package io.jlockdep.api;

import java.util.List;
import java.util.Objects;

/**
 * One violation of a locking rule, with everything a report needs: which rule, the kernel-style
 * headline, what the thread was acquiring (or calling), what it held and where each was taken,
 * for cycles the dependency chain with the thread and stack of each edge's first occurrence, the
 * current stack, the citation of the rule and a hint how to fix it. Immutable.
 */
public final class Violation {

    /** A lock as reports show it. */
    public record LockInfo(String className, String instance, String mode, StackTraceElement[] acquiredAt, String site) {
        public LockInfo {
            Objects.requireNonNull(className, "className");
            acquiredAt = acquiredAt == null ? null : acquiredAt.clone();
        }

        /** {@code className} plus the mode when it is not a plain exclusive hold. */
        public String label() {
            return mode.equals("write") ? className : className + " (" + mode + ")";
        }

        /** Where it was taken: the recorded stack's top frame, the site, or unknown. */
        public String where() {
            if (acquiredAt != null && acquiredAt.length > 0) {
                return acquiredAt[0].toString();
            }
            return site != null ? site : "(site not recorded: known chain)";
        }
    }

    /** One dependency {@code from -> to} of a cycle, as first seen. */
    public record ChainLink(String from, String to, String thread, StackTraceElement[] stack) {
        public ChainLink {
            stack = stack == null ? new StackTraceElement[0] : stack.clone();
        }
    }

    private final String rule;
    private final String title;
    private final String message;
    private final String citation;
    private final String fix;
    private final String threadName;
    private final long threadId;
    private final LockInfo acquiring;
    private final List<LockInfo> held;
    private final List<ChainLink> chain;
    private final StackTraceElement[] stack;
    private final long timeMillis;

    /** Made by the engine; not for applications. */
    public Violation(String rule, String title, String message, String citation, String fix, Thread thread,
            LockInfo acquiring, List<LockInfo> held, List<ChainLink> chain, StackTraceElement[] stack) {
        this.rule = rule;
        this.title = title;
        this.message = message;
        this.citation = citation;
        this.fix = fix;
        this.threadName = thread.getName();
        this.threadId = thread.getId();
        this.acquiring = acquiring;
        this.held = List.copyOf(held);
        this.chain = List.copyOf(chain);
        this.stack = stack;
        this.timeMillis = System.currentTimeMillis();
    }

    /** The stable rule ID, e.g. {@code lockdep/circular-dependency}. */
    public String rule() {
        return rule;
    }

    /** The kernel-style headline, e.g. {@code possible circular locking dependency detected}. */
    public String title() {
        return title;
    }

    /** One sentence: what happened. */
    public String message() {
        return message;
    }

    /** Where the rule is stated. */
    public String citation() {
        return citation;
    }

    /** How to fix it. */
    public String fix() {
        return fix;
    }

    public String threadName() {
        return threadName;
    }

    public long threadId() {
        return threadId;
    }

    /** The lock being acquired or released, or the lock an API rule is about; may be null. */
    public LockInfo acquiring() {
        return acquiring;
    }

    /** The locks the thread held, bottom first. */
    public List<LockInfo> held() {
        return held;
    }

    /**
     * For a cycle: the new dependency first ({@code held -> acquiring}), then the existing path
     * from {@code acquiring} back to the held lock. Empty for other rules.
     */
    public List<ChainLink> chain() {
        return chain;
    }

    /** The violating thread's stack at the violation, agent frames removed. */
    public StackTraceElement[] stack() {
        return stack.clone();
    }

    public long timeMillis() {
        return timeMillis;
    }

    @Override
    public String toString() {
        return rule + ": " + message;
    }
}
