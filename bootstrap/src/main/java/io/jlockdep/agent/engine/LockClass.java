package io.jlockdep.agent.engine;

import java.util.Arrays;

/**
 * A lock class (the kernel's {@code struct lock_class}): the unit the dependency graph is made
 * of. Every lock instance belongs to one class; which one is the instrumentation's decision
 * (a ww class, an allocation site, a monitor's Java class). Classes are compared by identity
 * inside one JVM and by {@link #name()} across JVMs.
 *
 * <p>The outgoing edges ({@code locks_after}) are guarded by the engine's graph lock. Each class
 * has a random 64-bit {@link #chainHash} folded into the per-thread chain key.
 */
public final class LockClass {

    /** What kind of lock the class stands for; decides a few rule IDs and report words. */
    public enum Kind {
        /** A plain mutual-exclusion lock (ReentrantLock, a mutex). */
        MUTEX,
        /** A reader-writer lock. */
        RWLOCK,
        /** A Java monitor (synchronized). */
        MONITOR,
        /**
         * A Semaphore with one permit used as a mutex. It has no owner: a release by another
         * thread is a hand-off, and a thread that ends holding its permit is not an error.
         */
        SEMAPHORE,
        /** The mutexes of one ww class ({@code <class>_mutex}). */
        WW_MUTEX,
        /** The acquire contexts of one ww class ({@code <class>_acquire}), held from init to fini. */
        WW_ACQUIRE,
        /** Anything else a user spec declares. */
        OTHER
    }

    final int id;
    /** Changed only to qualify a name another class also has ({@link Lockdep#renameClass}). */
    private volatile String name;
    /** The key it was made for ({@link Lockdep#lockClass}). */
    private Object key;

    private final Kind kind;
    final long chainHash;
    /**
     * Whether the lock belongs to the JDK's own internals (allocated in JDK code): a cycle made of
     * such locks alone is the JDK's business, not the application's, and is not reported; nor is
     * the JDK nesting two of them of one class under {@code same-class=report}.
     */
    volatile boolean internal;

    /**
     * Whether nesting two instances of this class is the JDK's own stacking (a stream over a
     * stream, {@code Hashtable.equals} locking the other table): ordered instance by instance even
     * with {@code same-class=report}, as if annotated with the kernel's {@code mutex_lock_nested}.
     */
    volatile boolean nestable;

    /**
     * A class whose instances turned out to be signals, not locks: a {@code Semaphore(1)} released
     * by a thread that had not acquired it (a hand-off). Its instances are no longer tracked,
     * and the dependencies recorded through it no longer lead anywhere ({@link Lockdep#notALock}).
     */
    volatile boolean signal;

    /**
     * Whether the instrumentation may still split this class into finer ones (a monitor's
     * class whose objects are made at several sites, not yet seen nested: issue 28): a cycle that
     * joins two different objects of it waits ({@link Lockdep#rolesUndecided}). Graph lock.
     */
    boolean rolesUndecided;

    /**
     * The dependencies into this class first recorded on a lock only one thread had taken
     * ({@link Edge#privateTo}): told when such a lock is shared ({@link Lockdep#lockShared}).
     * Graph lock; {@link #hasPrivateIn} is read without it.
     */
    final java.util.List<Edge> privateIn = new java.util.ArrayList<>(0);

    volatile boolean hasPrivateIn;

    /** Whether the class was found to be a signal, not a lock ({@link #signal}). */
    public boolean isSignal() {
        return signal;
    }

    /** Outgoing dependencies; guarded by the graph lock. */
    Edge[] out = new Edge[4];

    int outCount;
    /**
     * Same-class instance pairs of this class recorded with a stack ({@link ChainValidator}): the
     * first {@link ChainValidator#INSTANCE_STACKS}; later pairs are recorded without one, since
     * a stack walk per new pair of fresh objects made nesting them 40 times slower. Graph lock.
     */
    int instanceStacks;
    /** BFS bookkeeping; guarded by the graph lock. */
    int bfsGeneration;
    /** Incoming dependencies (for the topological order); guarded by the graph lock. */
    Edge[] in = new Edge[4];

    int inCount;
    /** Position in the topological order, and its search mark; guarded by the graph lock. */
    int position;

    int topoMark;

    LockClass(int id, String name, Kind kind, long chainHash) {
        this.id = id;
        this.name = name;
        this.kind = kind;
        this.chainHash = chainHash;
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    void rename(String newName) {
        name = newName;
    }

    /** The key this class was made for. */
    public Object key() {
        return key;
    }

    void key(Object k) {
        key = k;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isInternal() {
        return internal;
    }

    public boolean isWw() {
        return kind == Kind.WW_MUTEX || kind == Kind.WW_ACQUIRE;
    }

    /** The edge to {@code to}, or null; graph lock held. */
    Edge edgeTo(LockClass to) {
        for (int i = 0; i < outCount; i++) {
            if (out[i].to == to) {
                return out[i];
            }
        }
        return null;
    }

    /** Graph lock held. */
    void addEdge(Edge edge) {
        if (outCount == out.length) {
            out = Arrays.copyOf(out, outCount * 2);
        }
        out[outCount++] = edge;
        LockClass to = edge.to;
        if (to.inCount == to.in.length) {
            to.in = Arrays.copyOf(to.in, to.inCount * 2);
        }
        to.in[to.inCount++] = edge;
    }

    @Override
    public String toString() {
        return name;
    }
}
