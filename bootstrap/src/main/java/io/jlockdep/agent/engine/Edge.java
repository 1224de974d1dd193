package io.jlockdep.agent.engine;

/**
 * A dependency {@code from -> to}: {@code to} was acquired while {@code from} was held (the
 * kernel's {@code struct lock_list} in {@code from->locks_after}). It keeps the thread and stack
 * of its first occurrence, which reports show as "the existing dependency chain", and the
 * kernel's four dependency kinds as a bit mask ({@code lock_list->dep}):
 * bit {@code (prev exclusive) + 2 * (next non-recursive)}: SR=0, ER=1, SN=2, EN=3.
 */
public final class Edge {

    static final int DEP_SR = 1 << 0;
    static final int DEP_ER = 1 << 1;
    static final int DEP_SN = 1 << 2;
    static final int DEP_EN = 1 << 3;
    static final int DEP_S_MASK = DEP_SR | DEP_SN;
    static final int DEP_N_MASK = DEP_SN | DEP_EN;

    final LockClass from;
    final LockClass to;
    /** Guarded by the graph lock. */
    int dep;

    final String threadName;
    /**
     * The objects of its first occurrence ({@code ReentrantLock@1b6d3586}): a report of a cycle
     * says when one class's place in it was taken by two different objects.
     */
    final String fromInstance;

    final String toInstance;
    final StackTraceElement[] stack;
    final StackTraceElement[] fromStack;
    final long sequence;
    /** Judged to close a cycle: reported, kept for the report's graph, not in the searched graph. */
    boolean closesCycle;
    /**
     * Gate-lock candidates: the lock instances held exclusively below {@code from} on every
     * occurrence of this dependency validated so far (an intersection that only shrinks). Held
     * weakly: the graph must not keep the application's locks alive. Graph lock.
     */
    java.lang.ref.WeakReference<?>[] gates = NO_GATES;

    static final java.lang.ref.WeakReference<?>[] NO_GATES = new java.lang.ref.WeakReference<?>[0];

    Edge(
            LockClass from,
            LockClass to,
            int dep,
            String threadName,
            String fromInstance,
            String toInstance,
            StackTraceElement[] stack,
            StackTraceElement[] fromStack,
            long sequence) {
        this.from = from;
        this.to = to;
        this.dep = dep;
        this.threadName = threadName;
        this.fromInstance = fromInstance;
        this.toInstance = toInstance;
        this.stack = stack;
        this.fromStack = fromStack;
        this.sequence = sequence;
    }

    /** {@code __calc_dep_bit(prev, next)} as a mask. */
    static int depBit(int prevRead, int nextRead) {
        int bit = (prevRead == Lockdep.WRITE ? 1 : 0) + ((nextRead != Lockdep.RECURSIVE_READ ? 1 : 0) << 1);
        return 1 << bit;
    }

    public LockClass from() {
        return from;
    }

    public LockClass to() {
        return to;
    }

    /** Records the gates of the first occurrence. Graph lock. */
    void setGates(Object[] held) {
        if (held.length == 0) {
            return;
        }
        gates = new java.lang.ref.WeakReference<?>[held.length];
        for (int i = 0; i < held.length; i++) {
            gates[i] = new java.lang.ref.WeakReference<>(held[i]);
        }
    }

    /** Keeps only the gates also in {@code held}; returns whether any was dropped. Graph lock. */
    boolean narrowGates(Object[] held) {
        if (gates.length == 0) {
            return false;
        }
        int n = 0;
        java.lang.ref.WeakReference<?>[] kept = new java.lang.ref.WeakReference<?>[gates.length];
        for (java.lang.ref.WeakReference<?> g : gates) {
            Object instance = g.get();
            for (Object h : held) {
                if (instance != null && h == instance) {
                    kept[n++] = g;
                    break;
                }
            }
        }
        if (n == gates.length) {
            return false;
        }
        gates = n == 0 ? NO_GATES : java.util.Arrays.copyOf(kept, n);
        return true;
    }

    boolean gatedBy(Object instance) {
        for (java.lang.ref.WeakReference<?> g : gates) {
            if (g.get() == instance) {
                return true;
            }
        }
        return false;
    }

    /** Whether this dependency closed a reported cycle (it is not in the graph the engine searches). */
    public boolean closesCycle() {
        return closesCycle;
    }

    public String threadName() {
        return threadName;
    }

    public StackTraceElement[] stack() {
        return stack == null ? new StackTraceElement[0] : stack.clone();
    }

    /** A readable form of the dependency kinds seen, e.g. {@code "EN"} or {@code "SR,EN"}. */
    public String kinds() {
        StringBuilder sb = new StringBuilder();
        String[] names = {"SR", "ER", "SN", "EN"};
        for (int i = 0; i < 4; i++) {
            if ((dep & (1 << i)) != 0) {
                sb.append(sb.length() == 0 ? "" : ",").append(names[i]);
            }
        }
        return sb.toString();
    }
}
