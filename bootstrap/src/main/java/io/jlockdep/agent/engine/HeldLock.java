package io.jlockdep.agent.engine;

/**
 * One entry of a thread's held-lock stack (the kernel's {@code struct held_lock}). Entries are
 * preallocated per thread and reused, so pushing one allocates nothing.
 */
class HeldLock extends CacheLinePadding {
    Object instance;
    LockClass cls;
    /** {@link Lockdep#WRITE}, {@link Lockdep#READ} or {@link Lockdep#RECURSIVE_READ}. */
    int read;

    boolean trylock;
    /** Acquisition announced but the thread may still be waiting for it. */
    boolean pending;
    /** Re-entrant holds of the same instance in the same mode (1 = held once). */
    int holds;
    /** The ww acquire context it was taken under (the kernel's nest_lock), or null. */
    Object nest;
    /** Chain key of the stack below and including this entry. */
    long chainKey;
    /** Where it was taken, when known (slow path, or config.captureAcquireStacks). */
    StackTraceElement[] stack;
    /** An opaque call-site description from the instrumentation, or null. */
    Object site;
    /** The thread's acquisition number when this entry was pushed (tells one wait from the next). */
    long seq;

    void clear() {
        instance = null;
        cls = null;
        nest = null;
        stack = null;
        site = null;
    }

    void copyFrom(HeldLock o) {
        instance = o.instance;
        cls = o.cls;
        read = o.read;
        trylock = o.trylock;
        pending = o.pending;
        holds = o.holds;
        nest = o.nest;
        chainKey = o.chainKey;
        seq = o.seq;
        stack = o.stack;
        site = o.site;
    }
}
