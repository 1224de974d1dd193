package io.jlockdep.agent.engine;

import java.util.Arrays;

/**
 * Operations on a thread's held-lock stack ({@link ThreadState#held}), the kernel's
 * {@code curr->held_locks}: pushing an acquisition with its chain key ({@code iterate_chain_key}
 * in {@code __lock_acquire}), removing an entry and recomputing the keys above it
 * ({@code __lock_release} and {@code reacquire_held_locks}), finding the same-class entries
 * ({@code check_deadlock}'s scan) and the gate-lock candidates below an entry. Static: the stack
 * belongs to the calling thread, and nothing here touches shared state.
 */
final class HeldLocks {

    private static final HeldLock[] NO_HELD = new HeldLock[0];
    private static final Object[] NO_INSTANCES = new Object[0];

    private HeldLocks() {}

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * {@code iterate_chain_key}: folds one held lock into the chain key. A lock taken privately
     * ({@link Lockdep#PRIVATE}) is another chain than the same lock taken once shared, so the
     * shared occurrence is validated anew.
     */
    static long fold(long key, LockClass cls, int read, boolean trylock, boolean privately) {
        long id = cls.chainHash ^ ((long) read << 1 | (trylock ? 1 : 0) | (privately ? 8 : 0));
        return mix(key * 31 + id);
    }

    /** The chain key with {@code cls} pushed (locks of one ww class under one context count once). */
    static long nextKey(ThreadState ts, LockClass cls, int read, boolean trylock, Object ctx, boolean privately) {
        HeldLock top = ts.depth > 0 ? ts.held[ts.depth - 1] : null;
        boolean nestMerged = ctx != null && top != null && top.cls == cls && top.nest == ctx;
        return nestMerged ? ts.chainKey : fold(ts.chainKey, cls, read, trylock, privately);
    }

    /**
     * Whether held entry {@code h} is another instance of {@code cls}, acquired, and not nested
     * with {@code lock} under the ww acquire context {@code ctx} (the kernel's nest_lock): the
     * same-class pairs the instance order, the ww nesting check and the chain shortcut look at.
     */
    static boolean otherOfSameClass(HeldLock h, Object lock, LockClass cls, Object ctx) {
        return h.cls == cls && h.instance != lock && !h.pending && (ctx == null || h.nest != ctx);
    }

    /**
     * Whether another instance of {@code cls} is held that this thread has not yet been seen to
     * nest {@code lock} under in an order the instance order holds ({@link ThreadState#orderedPairs}):
     * such a nesting must go through the slow path's instance order.
     */
    static boolean unorderedSameClassHeld(ThreadState ts, Object lock, LockClass cls, Object ctx) {
        for (int i = 0; i < ts.depth; i++) {
            HeldLock h = ts.held[i];
            if (otherOfSameClass(h, lock, cls, ctx) && !ts.knowsOrdered(ThreadState.orderedPair(h.instance, lock))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Brings the thread's monitors in line with the JVM, the one lock kind whose truth it can tell
     * ({@link Thread#holdsLock}; the calling thread only). A monitor the stack says is held but the
     * JVM says is not is dropped: its exit event was lost to a StackOverflowError (the hook could
     * not run, or the enter hook threw after the JVM had taken the monitor of a synchronized
     * method whose body then never ran). A monitor still pending (announced, not yet acquired)
     * while the thread runs on is settled either way: held means its "acquired" event was lost,
     * not held means the monitorenter never happened.
     *
     * @return whether anything changed
     */
    static boolean resyncMonitors(ThreadState ts) {
        if (ts.thread != Thread.currentThread()) {
            return false;
        }
        boolean changed = false;
        for (int i = ts.depth - 1; i >= 0; i--) {
            HeldLock h = ts.held[i];
            if (h.cls.kind() != LockClass.Kind.MONITOR) {
                continue;
            }
            boolean holds = Thread.holdsLock(h.instance);
            if (h.pending && holds) {
                h.pending = false;
                changed = true;
            } else if (!holds) {
                remove(ts, i);
                changed = true;
            }
        }
        return changed;
    }

    /** Removes entry {@code idx} and recomputes the chain keys above it. */
    static void remove(ThreadState ts, int idx) {
        HeldLock removed = ts.held[idx];
        if (idx == ts.depth - 1) { // the top, the common case: nothing above it to re-key
            removed.clear();
            ts.depth = idx;
            ts.chainKey = idx > 0 ? ts.held[idx - 1].chainKey : 0;
            return;
        }
        System.arraycopy(ts.held, idx + 1, ts.held, idx, ts.depth - idx - 1);
        ts.held[ts.depth - 1] = removed;
        removed.clear();
        ts.depth--;
        rekey(ts, idx);
    }

    /** Recomputes the chain keys of the entries from {@code idx} up (an entry below them left or changed class). */
    static void rekey(ThreadState ts, int idx) {
        long key = idx > 0 ? ts.held[idx - 1].chainKey : 0;
        for (int i = idx; i < ts.depth; i++) {
            HeldLock h = ts.held[i];
            HeldLock below = i > 0 ? ts.held[i - 1] : null;
            boolean merged = h.nest != null && below != null && below.cls == h.cls && below.nest == h.nest;
            key = merged ? key : fold(key, h.cls, h.read, h.trylock, h.privately);
            h.chainKey = key;
        }
        ts.chainKey = ts.depth > 0 ? ts.held[ts.depth - 1].chainKey : 0;
    }

    /**
     * Pushes an acquisition (validated or known) onto the stack, with its chain key; a trylock is
     * held at once, anything else is pending until {@code acquired}.
     */
    static HeldLock push(
            ThreadState ts,
            Object lock,
            LockClass cls,
            int read,
            boolean trylock,
            Object ctx,
            long key,
            StackTraceElement[] stack,
            Object site,
            boolean privately) {
        HeldLock h = ts.held[ts.depth];
        h.instance = lock;
        if (h.cls != cls) { // a free entry keeps its last class ({@link HeldLock#clear})
            h.cls = cls;
        }
        h.read = read;
        h.trylock = trylock;
        h.pending = !trylock;
        h.holds = 1;
        if (ctx != null) { // a free entry's references are null: store only what is not
            h.nest = ctx;
        }
        h.chainKey = key;
        if (stack != null) {
            h.stack = stack;
        }
        if (site != null) {
            h.site = site;
        }
        h.seq = ++ts.acquireCount;
        h.privately = privately;
        ts.chainKey = key;
        ts.depth++;
        return h;
    }

    /**
     * The entry a release of {@code lock} in mode {@code read} drops: the topmost acquired entry
     * of that instance held in the same mode (shared or exclusive), else any entry of it; -1 if
     * the thread holds no such lock.
     */
    static int indexForRelease(ThreadState ts, Object lock, int read) {
        boolean wantShared = read != Lockdep.WRITE;
        for (int i = ts.depth - 1; i >= 0; i--) {
            HeldLock h = ts.held[i];
            if (h.instance == lock && !h.pending && (h.read != Lockdep.WRITE) == wantShared) {
                return i;
            }
        }
        return ts.indexOfHeld(lock);
    }

    /** The topmost pending entry of {@code lock}, or -1. */
    static int indexOfPending(ThreadState ts, Object lock) {
        for (int i = ts.depth - 1; i >= 0; i--) {
            HeldLock h = ts.held[i];
            if (h.instance == lock && h.pending) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Gate-lock candidates below position {@code top}: the locks held exclusively (a shared
     * hold serialises nothing), other than ww acquire contexts (pseudo-locks, one per thread).
     */
    static HeldLock[] heldBelow(ThreadState ts, int top) {
        int n = 0;
        HeldLock[] out = null;
        for (int j = 0; j < top; j++) {
            HeldLock h = ts.held[j];
            if (h.pending || h.read != Lockdep.WRITE || h.cls.kind() == LockClass.Kind.WW_ACQUIRE) {
                continue;
            }
            if (out == null) {
                out = new HeldLock[top];
            }
            out[n++] = h;
        }
        return n == 0 ? NO_HELD : Arrays.copyOf(out, n);
    }

    static Object[] instances(HeldLock[] held) {
        if (held.length == 0) {
            return NO_INSTANCES;
        }
        Object[] out = new Object[held.length];
        for (int i = 0; i < held.length; i++) {
            out[i] = held[i].instance;
        }
        return out;
    }
}
