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
    final StackTraceElement[] stack;
    final StackTraceElement[] fromStack;
    final long sequence;

    Edge(LockClass from, LockClass to, int dep, String threadName, StackTraceElement[] stack,
            StackTraceElement[] fromStack, long sequence) {
        this.from = from;
        this.to = to;
        this.dep = dep;
        this.threadName = threadName;
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

    public String threadName() {
        return threadName;
    }

    public StackTraceElement[] stack() {
        return stack.clone();
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
