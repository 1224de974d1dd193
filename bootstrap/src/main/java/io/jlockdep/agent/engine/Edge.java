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

    /**
     * The threads (ids) of its occurrences so far when every one was private: the lock taken had
     * only ever been taken by this one thread, so nothing else could have held it then
     * (ZooKeeper's peer loading its database under its own monitor before its threads exist:
     * issue 28). Null once it occurred on a lock used by two threads, or by more than
     * {@link #PRIVATE_THREADS} threads privately. With each: the lock of its first occurrence
     * (weakly), and whether that lock was shared later. Graph lock.
     */
    long[] privateTo;

    /** The id of the thread of its first occurrence (0 when not known). Graph lock. */
    long tid;

    private java.lang.ref.WeakReference<?>[] privateLocks;
    private boolean[] sharedLater;

    /** The threads a private dependency keeps; one more, and it counts as shared. */
    static final int PRIVATE_THREADS = 4;

    /**
     * Whether a cycle search by thread {@code tid} may pass over this dependency: a shared one,
     * one private to {@code tid}, and one whose private occurrences include a lock still used by
     * one thread alone (a thread's own objects, as each test makes its own: they stand for the
     * code that takes them, as lockdep's classes do). Passed by: a dependency every occurrence of
     * which was on a lock that another thread used afterwards: it was taken while nothing else
     * could hold that lock, in the phase before the lock was shared.
     */
    boolean visibleTo(long tid) {
        long[] p = privateTo;
        if (p == null) {
            return true;
        }
        boolean allSharedLater = true;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == tid) {
                return true;
            }
            allSharedLater &= sharedLater[i];
        }
        return !allSharedLater;
    }

    /**
     * Whether an occurrence by {@code occurrence} (a thread id for a private one, 0 for a lock
     * used by several threads) is already known: a shared dependency covers every occurrence, a
     * private one those of its threads.
     */
    boolean covers(long occurrence) {
        if (privateTo == null) {
            return true;
        }
        for (long t : privateTo) {
            if (occurrence != 0 && t == occurrence) {
                return true;
            }
        }
        return false;
    }

    /** The first occurrence, private to thread {@code occurrence} on {@code lock}. Graph lock. */
    void firstPrivately(long occurrence, Object lock) {
        privateTo = new long[] {occurrence};
        privateLocks = new java.lang.ref.WeakReference<?>[] {new java.lang.ref.WeakReference<>(lock)};
        sharedLater = new boolean[1];
    }

    /** Records an occurrence ({@link #covers}'s argument) on {@code lock}. Graph lock. */
    void occurred(long occurrence, Object lock) {
        long[] p = privateTo;
        if (p == null || covers(occurrence)) {
            return;
        }
        if (occurrence == 0 || p.length == PRIVATE_THREADS) {
            privateTo = null;
            privateLocks = null;
            sharedLater = null;
            return;
        }
        int n = p.length;
        privateTo = java.util.Arrays.copyOf(p, n + 1);
        privateTo[n] = occurrence;
        privateLocks = java.util.Arrays.copyOf(privateLocks, n + 1);
        privateLocks[n] = new java.lang.ref.WeakReference<>(lock);
        sharedLater = java.util.Arrays.copyOf(sharedLater, n + 1);
    }

    /** {@code lock}, taken by a second thread now: its private occurrences were before. Graph lock. */
    void sharedLater(Object lock) {
        java.lang.ref.WeakReference<?>[] locks = privateLocks;
        if (locks == null) {
            return;
        }
        for (int i = 0; i < locks.length; i++) {
            if (locks[i].get() == lock) {
                sharedLater[i] = true;
            }
        }
    }

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
