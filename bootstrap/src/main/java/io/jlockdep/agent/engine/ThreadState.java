package io.jlockdep.agent.engine;

import io.jlockdep.api.Violation;
import java.util.Arrays;

/**
 * Per-thread lockdep state (the lockdep part of the kernel's {@code task_struct}): the held-lock
 * stack as a growable array of reusable entries, the chain key of that stack, the stack of API
 * and callback scopes being checked, and the ww acquire contexts the thread owns. Only its own
 * thread mutates it; other threads read it (held-locks dumps, watchdog) as a best-effort snapshot.
 */
class ThreadState extends CacheLinePadding {

    final Thread thread;

    /** The thread's id: what a private dependency keeps ({@link Edge#privateTo}). */
    final long tid;

    /**
     * The occurrence of the dependency being validated ({@link Edge#covers}): this thread's id
     * when the lock taken has only ever been used by this thread ({@link Lockdep#PRIVATE}), else
     * 0. Set for the slow path's validation only.
     */
    long occurrence;

    /** The thread as reports name it ({@link io.jlockdep.api.Printable#thread}): escaped, an unnamed one by its id. */
    String name() {
        return io.jlockdep.api.Printable.thread(thread);
    }

    /**
     * Releases that other threads made of locks this thread holds (a {@code StampedLock} stamp has
     * no owner: its javadoc lets any thread release it), as {@code {lock, read}} pairs: posted by
     * {@link Lockdep#releaseElsewhere}, applied by this thread on its next slow-path event
     * ({@link LockAcquisition#applyRemoteReleases}); the fast path never reads it.
     */
    final java.util.concurrent.ConcurrentLinkedQueue<Object[]> remoteReleases =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Whether {@code instance} is among this thread's held locks, read from another thread: a best-effort look. */
    boolean seemsToHold(Object instance) {
        HeldLock[] h = held;
        int d = Math.min(depth, h.length);
        for (int i = 0; i < d; i++) {
            HeldLock e = h[i];
            if (e != null && e.instance == instance) {
                return true;
            }
        }
        return false;
    }

    HeldLock[] held;
    /** Held entries in use; plain (the owner alone writes it; the watchdog reads it racily and confirms over two scans). */
    int depth;

    long chainKey;
    /** Re-entrancy guard: events raised while the engine itself runs are ignored. */
    boolean busy;
    /**
     * Acquisitions past the configured maximum depth, counted but not tracked: the releases of
     * those locks find no entry and balance this count instead of being reported.
     */
    int untracked;
    /** The stack of the acquisition on the slow path, captured on first need (see Lockdep.validate). */
    StackTraceElement[] slowStack;
    /**
     * Where the lock call this thread is making was written ({@link Lockdep#callSite}), for the
     * acquisition it makes when that has no site of its own; taken (cleared) by the next
     * acquisition of any lock.
     */
    Object callSite;
    /** Fail mode: a violation found under the graph lock, thrown once the lock is released. */
    Violation pendingFailure;
    /** Acquisitions so far (numbers the held entries for the deadlock watchdog). */
    long acquireCount;
    /**
     * The chains this thread found validated lately: a small two-way cache in front of the shared
     * chain cache, so a known chain costs an L1 hit instead of a probe into a table of megabytes.
     * Chains are never invalidated, so a hit is always right.
     */
    final long[] knownChains = new long[8 + 64 + 8]; // slots 8..71: a cache line of padding at each end

    /**
     * The objects this thread's constructors are building ({@link Lockdep#constructing}), oldest
     * first: their lock contracts do not bind yet. Grown to {@link #MAX_BUILDING}; a deeper
     * construction is counted in {@link #buildingOverflow} and not exempt.
     */
    Object[] building = new Object[4];

    int buildingDepth;
    int buildingOverflow;

    static final int MAX_BUILDING = 256;

    /** Whether {@code o} is being built by one of this thread's constructors. */
    boolean isBuilding(Object o) {
        for (int i = buildingDepth - 1; i >= 0; i--) {
            if (building[i] == o) {
                return true;
            }
        }
        return false;
    }

    /** The pending call site ({@link #callSite}), cleared; or null. */
    Object takeCallSite() {
        Object s = callSite;
        if (s != null) {
            callSite = null;
        }
        return s;
    }

    boolean knowsChain(long key) {
        if (key == 0) {
            return false;
        }
        int s = slot(key);
        return knownChains[s] == key || knownChains[s ^ 1] == key;
    }

    /**
     * Remembers a validated chain (no other thread writes this array). Two-way: a key goes to the
     * first slot of its pair and the key it displaces to the second, so two chains a thread
     * alternates between (a lock, and a lock nested under it) never evict each other.
     */
    void rememberChain(long key) {
        int s = slot(key);
        long first = knownChains[s];
        if (first != key) {
            knownChains[s ^ 1] = first;
            knownChains[s] = key;
        }
    }

    private static int slot(long key) {
        return 8 + ((int) (key ^ (key >>> 32)) & 62); // even: the pair is slot, slot + 1
    }

    /**
     * Same-class instance pairs this thread nested and the instance order already holds, by
     * identity hashes ({@link #orderedPair}): nesting them again needs no graph lock. A stale or
     * colliding entry can only skip a check the order would pass, or (two new instances with the
     * hashes of an ordered pair) miss one report; never make one up.
     */
    final long[] orderedPairs = new long[8 + 64 + 8]; // slots 8..71, padded as knownChains

    static long orderedPair(Object outer, Object inner) {
        long k = ((long) System.identityHashCode(outer) << 32) ^ (System.identityHashCode(inner) & 0xFFFFFFFFL);
        return k == 0 ? 1 : k;
    }

    boolean knowsOrdered(long pair) {
        return orderedPairs[pairSlot(pair)] == pair;
    }

    /** Remembers an ordered pair (no other thread writes this array). */
    void rememberOrdered(long pair) {
        orderedPairs[pairSlot(pair)] = pair;
    }

    private int pairSlot(long pair) {
        long h = pair * 0x9E3779B97F4A7C15L;
        return 8 + (int) (h >>> 58); // the top 6 bits: 64 slots
    }

    ApiFrame[] scopes = new ApiFrame[8];
    int scopeDepth;

    /**
     * The {@code @ReleasesNoLocks} and {@code @LockingFree} methods the thread is in, innermost
     * last, each with the depth of the held-lock stack when it was entered: the locks below that
     * depth are the ones it was called with. While any is open, acquisitions and releases take the
     * slow path, which checks them.
     */
    GuardRule[] guardScopes = new GuardRule[4];

    int[] guardScopeHeld = new int[4];
    int guardDepth;

    WwContextState[] contexts = new WwContextState[2];
    int contextCount;

    ThreadState(Thread thread, int initialDepth) {
        this.thread = thread;
        this.tid = this.thread.getId();
        this.held = new HeldLock[initialDepth];
        for (int i = 0; i < initialDepth; i++) {
            held[i] = new CacheLinePadding.HeldLockTail();
        }
        for (int i = 0; i < scopes.length; i++) {
            scopes[i] = new ApiFrame();
        }
    }

    /** Room for one more entry; false when the configured maximum depth is reached. */
    boolean ensureRoom(int maxDepth) {
        if (depth >= maxDepth) {
            return false;
        }
        if (depth < held.length) {
            return true;
        }
        int old = held.length;
        held = Arrays.copyOf(held, Math.min(maxDepth, old * 2));
        for (int i = old; i < held.length; i++) {
            held[i] = new CacheLinePadding.HeldLockTail();
        }
        return true;
    }

    /** The non-pending entry holding {@code instance}, searched from the top, or -1. */
    int indexOfHeld(Object instance) {
        for (int i = depth - 1; i >= 0; i--) {
            HeldLock h = held[i];
            if (h.instance == instance && !h.pending) {
                return i;
            }
        }
        return -1;
    }

    ApiFrame pushScope() {
        if (scopeDepth == scopes.length) {
            int old = scopes.length;
            scopes = Arrays.copyOf(scopes, old * 2);
            for (int i = old; i < scopes.length; i++) {
                scopes[i] = new ApiFrame();
            }
        }
        return scopes[scopeDepth++];
    }

    WwContextState context(Object ctx) {
        for (int i = 0; i < contextCount; i++) {
            if (contexts[i].ctx == ctx) {
                return contexts[i];
            }
        }
        return null;
    }

    /** The last contexts this thread finished (to recognise a use after ww_acquire_fini). */
    final WwContextState[] retired = new WwContextState[16];

    int retiredNext;

    /** A context state evicted from the retired ring, ready for reuse, or null. */
    WwContextState spare;

    void retire(WwContextState state) {
        WwContextState evicted = retired[retiredNext];
        retired[retiredNext] = state;
        retiredNext = (retiredNext + 1) % retired.length;
        if (evicted != null) {
            spare = evicted;
        }
    }

    WwContextState retiredContext(Object ctx) {
        for (WwContextState st : retired) {
            if (st != null && st.ctx == ctx) {
                return st;
            }
        }
        return null;
    }

    void addContext(WwContextState state) {
        if (contextCount == contexts.length) {
            contexts = Arrays.copyOf(contexts, contextCount * 2);
        }
        contexts[contextCount++] = state;
    }

    void removeContext(WwContextState state) {
        for (int i = 0; i < contextCount; i++) {
            if (contexts[i] == state) {
                System.arraycopy(contexts, i + 1, contexts, i, contextCount - i - 1);
                contexts[--contextCount] = null;
                return;
            }
        }
    }

    /** One API or callback scope being checked (reused). */
    static final class ApiFrame {
        ApiRule rule;
        Object lock;
        /** The entry check of this scope (or of an enclosing API scope) already reported a violation. */
        boolean violated;
    }
}
