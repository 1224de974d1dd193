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

    /**
     * A lock as reports show it.
     *
     * @param className its lock class's name
     * @param instance the instance, as {@code SimpleName@hash} (empty when not known)
     * @param mode {@code write}, {@code read} or {@code recursive-read}
     * @param acquiredAt the stack where it was taken, or null when not recorded
     * @param site the call site the instrumentation named, or null
     */
    public record LockInfo(
            String className, String instance, String mode, StackTraceElement[] acquiredAt, String site) {
        /**
         * Copies the stack: a lock info is immutable.
         *
         * @param className its lock class's name
         * @param instance the instance
         * @param mode the mode
         * @param acquiredAt where it was taken, or null
         * @param site the call site, or null
         */
        public LockInfo {
            Objects.requireNonNull(className, "className");
            acquiredAt = acquiredAt == null ? null : acquiredAt.clone();
        }

        /**
         * The label reports show.
         *
         * @return {@code className} plus the mode when it is not a plain exclusive hold
         */
        public String label() {
            return mode.equals("write") ? className : className + " (" + mode + ")";
        }

        /**
         * Where it was taken.
         *
         * @return the recorded stack's top frame, the site, or a placeholder
         */
        public String where() {
            if (acquiredAt != null && acquiredAt.length > 0) {
                return acquiredAt[0].toString();
            }
            return site != null ? site : "(site not recorded: known chain)";
        }
    }

    /**
     * One dependency {@code from -> to} of a cycle, as first seen.
     *
     * @param from the lock class held
     * @param to the lock class taken while holding it
     * @param thread the thread that first took them in this order
     * @param stack where it did (empty when not recorded)
     * @param fromInstance the object held then ({@code ReentrantLock@1b6d3586}), or empty
     * @param toInstance the object taken then, or empty
     */
    public record ChainLink(
            String from, String to, String thread, StackTraceElement[] stack, String fromInstance, String toInstance) {
        /**
         * Copies the stack (an absent one is empty): a link is immutable.
         *
         * @param from the lock class held
         * @param to the lock class taken
         * @param thread the thread that first did
         * @param stack where, or null
         * @param fromInstance the object held, or null
         * @param toInstance the object taken, or null
         */
        public ChainLink {
            stack = stack == null ? new StackTraceElement[0] : stack.clone();
            fromInstance = fromInstance == null ? "" : fromInstance;
            toInstance = toInstance == null ? "" : toInstance;
        }

        /**
         * A link whose objects are not known.
         *
         * @param from the lock class held
         * @param to the lock class taken
         * @param thread the thread that first did
         * @param stack where, or null
         */
        public ChainLink(String from, String to, String thread, StackTraceElement[] stack) {
            this(from, to, thread, stack, "", "");
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

    /**
     * Made by the engine; not for applications.
     *
     * @param rule the rule ID ({@link Rules})
     * @param title the kernel-style headline
     * @param message what happened, one sentence
     * @param citation where the rule is stated
     * @param fix how to fix it
     * @param thread the violating thread
     * @param acquiring the lock acquired or released, or the lock an API rule is about; may be null
     * @param held the locks the thread held, bottom first
     * @param chain for a cycle, its dependencies; otherwise empty
     * @param stack the violating thread's stack
     */
    public Violation(
            String rule,
            String title,
            String message,
            String citation,
            String fix,
            Thread thread,
            LockInfo acquiring,
            List<LockInfo> held,
            List<ChainLink> chain,
            StackTraceElement[] stack) {
        this.rule = rule;
        this.title = title;
        this.message = message;
        this.citation = citation;
        this.fix = fix;
        // an unnamed thread (a virtual one, by default) as the JDK's thread dumps name it
        this.threadName = thread.getName().isEmpty() ? Printable.thread(thread) : thread.getName();
        this.threadId = thread.getId();
        this.acquiring = acquiring;
        this.held = List.copyOf(held);
        this.chain = List.copyOf(chain);
        this.stack = stack;
        this.timeMillis = System.currentTimeMillis();
    }

    /**
     * The rule broken.
     *
     * @return the stable rule ID, e.g. {@code lockdep/circular-dependency}
     */
    public String rule() {
        return rule;
    }

    /**
     * The headline.
     *
     * @return the kernel-style headline, e.g. {@code possible circular locking dependency detected}
     */
    public String title() {
        return title;
    }

    /**
     * What happened.
     *
     * @return one sentence
     */
    public String message() {
        return message;
    }

    /**
     * Where the rule is stated.
     *
     * @return the document and kernel function that state it
     */
    public String citation() {
        return citation;
    }

    /**
     * How to fix it.
     *
     * @return a hint, one or two sentences
     */
    public String fix() {
        return fix;
    }

    /**
     * The violating thread.
     *
     * @return its name
     */
    public String threadName() {
        return threadName;
    }

    /**
     * The violating thread.
     *
     * @return its id
     */
    public long threadId() {
        return threadId;
    }

    /**
     * The lock the violation is about.
     *
     * @return the lock being acquired or released, or the lock an API rule is about; may be null
     */
    public LockInfo acquiring() {
        return acquiring;
    }

    /**
     * What the thread held.
     *
     * @return the locks the thread held, bottom first
     */
    public List<LockInfo> held() {
        return held;
    }

    /**
     * For a cycle: the new dependency first ({@code held -> acquiring}), then the existing path
     * from {@code acquiring} back to the held lock. Empty for other rules.
     *
     * @return the cycle's dependencies, each as first seen
     */
    public List<ChainLink> chain() {
        return chain;
    }

    /**
     * Where it happened.
     *
     * @return the violating thread's stack at the violation, agent frames removed
     */
    public StackTraceElement[] stack() {
        return stack.clone();
    }

    /**
     * When it happened.
     *
     * @return the wall-clock time, in milliseconds since the epoch
     */
    public long timeMillis() {
        return timeMillis;
    }

    @Override
    public String toString() {
        return rule + ": " + message;
    }
}
