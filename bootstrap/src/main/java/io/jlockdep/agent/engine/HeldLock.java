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
    /** Where it was taken, when known (the slow path: a chain seen for the first time). */
    StackTraceElement[] stack;
    /** An opaque call-site description from the instrumentation, or null. */
    Object site;
    /** The thread's acquisition number when this entry was pushed (tells one wait from the next). */
    long seq;
    /** Whether the lock had only ever been used by this thread when it was taken ({@link Lockdep#PRIVATE}). */
    boolean privately;

    /**
     * Drops the references a free entry must not keep (the lock, its context, its stack, its
     * site). Fields already null are not written, and the class is kept (classes live as long as
     * the engine): the next push of the same class then writes no reference. Under G1 a reference
     * store from an old object costs a card-marking barrier with a fence, so the fast path of a
     * known chain stores as few references as it can.
     */
    void clear() {
        instance = null;
        if (nest != null) {
            nest = null;
        }
        if (stack != null) {
            stack = null;
        }
        if (site != null) {
            site = null;
        }
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
        privately = o.privately;
        stack = o.stack;
        site = o.site;
    }
}
