package io.jlockdep.agent.engine;

/**
 * What one acquisition or release does to the calling thread's state: the kernel's
 * {@code __lock_acquire} (a scope that forbids the lock, recursion and re-entry,
 * {@code check_deadlock}'s same-class check, the ww checks, MAX_LOCK_DEPTH, the chain key, then
 * {@code validate_chain} for a chain not yet known, and the push) and {@code __lock_release}.
 * Called by {@link Lockdep}'s events inside their re-entry guard.
 */
final class LockAcquisition {

    private final LockdepConfig config;
    private final Reporter reporter;
    private final ChainValidator chains;
    private final WwChecks ww;
    private final int maxDepth;
    private volatile boolean depthNoticed;

    LockAcquisition(LockdepConfig config, Reporter reporter, ChainValidator chains, WwChecks ww) {
        this.config = config;
        this.maxDepth = config.maxDepth();
        this.reporter = reporter;
        this.chains = chains;
        this.ww = ww;
    }

    /**
     * The fast path of {@link #acquire} without a ww context (callers pass none here; a ww mutex
     * under a context always takes the slow path): the kernel's {@code lookup_chain_cache} hit.
     * A re-entrant acquisition of a lock held in the same mode counts one more hold, as the slow
     * path does. Otherwise, when the stack has room and the thread does not hold this lock:
     * <ul>
     *   <li>a blocking acquisition is pushed, pending, when no other instance of its class is held,
     *       no API scope names the lock, and the thread already validated the chain it makes:
     *       every check of {@link #acquire} then passes by construction (the chain's dependencies
     *       are in the graph and were checked when it was first seen);
     *   <li>a successful trylock is pushed, held: a trylock is never validated (it cannot
     *       deadlock; {@code validate_chain} skips it) and no API scope forbids one.
     * </ul>
     * Nothing else is read or written. Returns the entry, {@link #REENTERED}, or null when
     * {@link #acquire} must decide (recursion, same-class nesting, a ww mutex nested without a
     * context — the one ww check of an acquisition without one — a scope, a new chain).
     */
    HeldLock acquireFast(
            ThreadState ts,
            Object lock,
            LockClass cls,
            int read,
            boolean trylock,
            boolean reentrant,
            Object site,
            boolean privately) {
        if (ts.guardDepth != 0) {
            return null; // inside a @LockingFree or @ReleasesNoLocks method
        }
        if (!trylock) {
            for (int i = ts.scopeDepth - 1; i >= 0; i--) {
                if (ts.scopes[i].lock == lock) {
                    return null; // a scope that may forbid this lock
                }
            }
        }
        if (reentrant) {
            int r = reenter(ts, lock, read);
            if (r != 0) {
                return r > 0 ? REENTERED : null;
            }
        }
        int d = ts.depth;
        HeldLock[] held = ts.held;
        if (d >= held.length || d >= maxDepth) {
            return null;
        }
        for (int i = 0; i < d; i++) {
            HeldLock h = held[i];
            if (h.instance == lock || !trylock && h.cls == cls) {
                return null;
            }
        }
        long key = HeldLocks.fold(ts.chainKey, cls, read, trylock, privately);
        if (!trylock && !ts.knowsChain(key)) {
            return null;
        }
        return HeldLocks.push(ts, lock, cls, read, trylock, null, key, null, site, privately);
    }

    /**
     * What {@link #acquireFast} returns for a re-entrant acquisition of a lock the thread holds in
     * the same mode: one more hold was counted, nothing was pushed.
     */
    static final HeldLock REENTERED = new HeldLock();

    /**
     * A re-entrant acquisition, as {@link #acquire}'s first scan decides it: 1 when the thread
     * holds {@code lock} (acquired, not pending) in the same mode, and one more hold is counted;
     * -1 when it holds it otherwise (a downgrade, an upgrade: the slow path decides); 0 when it
     * does not hold it.
     */
    private static int reenter(ThreadState ts, Object lock, int read) {
        for (int i = ts.depth - 1; i >= 0; i--) {
            HeldLock h = ts.held[i];
            if (h.instance != lock || h.pending) {
                continue;
            }
            if ((h.read != Lockdep.WRITE) == (read != Lockdep.WRITE)) {
                h.holds++;
                return 1;
            }
            return -1;
        }
        return 0;
    }

    /**
     * Applies the releases other threads made of locks {@code ts} holds ({@link
     * ThreadState#remoteReleases}): at the start of every slow-path event, before the held stack
     * is looked at; a release of a lock no longer held here is dropped.
     */
    void applyRemoteReleases(ThreadState ts) {
        Object[] r;
        while ((r = ts.remoteReleases.poll()) != null) {
            int idx = HeldLocks.indexForRelease(ts, r[0], (Integer) r[1]);
            if (idx >= 0) {
                releaseAt(ts, idx);
            }
        }
    }

    /** {@code __lock_acquire}: validates {@code lock} for {@code ts} and pushes it (pending unless a trylock). */
    void acquire(ThreadState ts, Object lock, LockClass cls, int read, int flags, Object ctx, Object site) {
        if (!ts.remoteReleases.isEmpty()) {
            applyRemoteReleases(ts);
        }
        boolean trylock = (flags & Lockdep.TRYLOCK) != 0;
        boolean reentrant = (flags & Lockdep.REENTRANT) != 0;
        boolean privately = (flags & Lockdep.PRIVATE) != 0;

        // A specification scope that forbids taking this very lock (a callback invoked locked).
        if (!trylock) {
            ThreadState.ApiFrame forbidding = ApiChecks.forbiddingScope(ts, lock);
            if (forbidding != null) {
                reporter.reportAcquireInsideScope(ts, forbidding, lock, cls, read, site);
                return;
            }
        }
        if (ts.guardDepth != 0) {
            GuardScopes.acquiring(ts, reporter, lock, cls, read);
        }

        // The same instance already held by this thread: re-entry, EALREADY, recursion.
        for (int i = ts.depth - 1; i >= 0; i--) {
            HeldLock h = ts.held[i];
            if (h.instance != lock || h.pending) {
                continue;
            }
            boolean heldShared = h.read != Lockdep.WRITE;
            boolean wantShared = read != Lockdep.WRITE;
            if (reentrant && heldShared == wantShared) {
                h.holds++;
                return;
            }
            if (reentrant && !heldShared) {
                break; // write held, read wanted: a downgrade, which cannot block
            }
            if (ctx != null && h.nest == ctx) {
                return; // -EALREADY: the ww lock call returns without blocking
            }
            if (trylock) {
                return; // the trylock fails; nothing to validate
            }
            if (read == Lockdep.RECURSIVE_READ && heldShared) {
                break; // recursive read after read
            }
            reporter.reportRecursion(ts, h, lock, cls, read, site);
            if (heldShared == wantShared) {
                // warn mode goes on: if the second acquisition succeeds (a StampedLock read with no
                // writer queued), its release must balance
                h.holds++;
            }
            return;
        }

        if (cls.kind() == LockClass.Kind.WW_MUTEX) {
            ww.checkWw(ts, lock, cls, ctx, trylock, (flags & Lockdep.WW_SLOW) != 0, site);
        }
        // check_deadlock, strict: another instance of the class held, no nest lock, not
        // read-after-read. Reported at once (fail mode throws); in warn mode the acquisition,
        // which does happen (another instance), is still recorded so that its release balances,
        // but it is not validated further: the verdict on it is given.
        boolean strictVerdict = false;
        if (cls.kind() != LockClass.Kind.WW_MUTEX
                && !trylock
                && !cls.nestable
                && !cls.internal // the JDK nesting its own locks: its design, not the application's
                && config.sameClassNesting() == LockdepConfig.SameClassNesting.REPORT) {
            for (int i = ts.depth - 1; i >= 0; i--) {
                HeldLock h = ts.held[i];
                if (h.cls == cls
                        && !h.pending
                        && (ctx == null || h.nest != ctx)
                        && !(read == Lockdep.RECURSIVE_READ && h.read != Lockdep.WRITE)) {
                    reporter.reportRecursion(ts, h, lock, cls, read, site); // fail mode: throws
                    strictVerdict = true;
                    break;
                }
            }
        }

        if (!ts.ensureRoom(maxDepth)) {
            // Past the cap the acquisition is counted, not tracked: its release balances the count
            // (nothing false is reported), and tracking resumes once the thread is below the cap.
            ts.untracked++;
            if (!depthNoticed) {
                depthNoticed = true;
                reporter.notice(
                        "MAX_LOCK_DEPTH too low: a thread (first: " + ts.name() + ") holds "
                                + maxDepth
                                + " locks; the locks a thread takes beyond that are not validated until it is below the cap again");
            }
            return;
        }

        long key = HeldLocks.nextKey(ts, cls, read, trylock, ctx, privately);
        StackTraceElement[] stack = null;
        if (!trylock
                && !strictVerdict
                && (!chains.knownChain(ts, key) || HeldLocks.unorderedSameClassHeld(ts, lock, cls, ctx))) {
            if (HeldLocks.resyncMonitors(ts)) {
                key = HeldLocks.nextKey(ts, cls, read, trylock, ctx, privately);
            }
            ts.occurrence = privately ? ts.tid : 0;
            stack = chains.validate(ts, lock, cls, read, ctx, key, site);
        }

        HeldLock h = HeldLocks.push(ts, lock, cls, read, trylock, ctx, key, stack, site, privately);
        if (trylock) {
            ww.acquired(ts, h, lock);
        }
    }

    /** {@code __lock_release}: drops one hold of {@code lock}, or reports an unlock of a lock not held. */
    void release(ThreadState ts, Object lock, LockClass cls, int read) {
        if (!ts.remoteReleases.isEmpty()) {
            applyRemoteReleases(ts);
        }
        int idx = HeldLocks.indexForRelease(ts, lock, read);
        if (idx < 0 && cls.kind() == LockClass.Kind.MONITOR && HeldLocks.resyncMonitors(ts)) {
            idx = ts.indexOfHeld(lock); // an "acquired" event was lost: the JVM says it is held
        }
        if (idx < 0) {
            if (ts.untracked > 0) {
                ts.untracked--; // a lock taken past MAX_LOCK_DEPTH, never tracked
                return;
            }
            reporter.reportBadUnlock(ts, lock, cls, read);
            return;
        }
        releaseAt(ts, idx);
    }

    /** {@code __lock_release} of held entry {@code idx}: one hold fewer, or the entry popped. */
    void releaseAt(ThreadState ts, int idx) {
        HeldLock h = ts.held[idx];
        if (h.holds > 1) {
            h.holds--;
            return;
        }
        if (ts.guardDepth != 0) {
            GuardScopes.releasing(ts, reporter, idx);
        }
        ww.released(ts, h);
        HeldLocks.remove(ts, idx);
    }
}
