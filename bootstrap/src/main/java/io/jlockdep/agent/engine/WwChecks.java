package io.jlockdep.agent.engine;

import io.jlockdep.api.Rules;
import java.util.Collection;
import java.util.List;

/**
 * The ww_mutex debug checks of kernel/locking/ww_mutex.h and the {@code ww_acquire_*} state
 * ({@code struct ww_acquire_ctx} under {@code CONFIG_DEBUG_WW_MUTEX_SLOWPATH}): one
 * {@link WwContextState} per context, on its owner's {@link ThreadState}, counting the locks
 * taken under it and the contended one after -EDEADLK. Called by {@link Lockdep}'s events with
 * the calling thread's state; reports through the {@link Reporter}.
 */
final class WwChecks {

    private final LockdepConfig config;
    private final Reporter reporter;
    private final Collection<ThreadState> threads;

    WwChecks(LockdepConfig config, Reporter reporter, Collection<ThreadState> threads) {
        this.config = config;
        this.reporter = reporter;
        this.threads = threads;
    }

    /** A ww_mutex of {@code h} is held under its context: counted, and no longer the contended one. */
    void acquired(ThreadState ts, HeldLock h, Object lock) {
        if (h.nest == null || h.cls.kind() != LockClass.Kind.WW_MUTEX) {
            return;
        }
        WwContextState st = ts.context(h.nest);
        if (st != null) {
            st.acquired++;
            if (st.contending == lock) {
                st.contending = null;
            }
        }
    }

    /**
     * The state of {@code ctx}: the thread's own contexts first (the common case, no shared
     * state); then, for a context used by the wrong thread or after its fini (error paths only),
     * the other threads' active and recently finished contexts, read without their owners
     * stopping (a stale read can only miss a report, never invent one).
     */
    WwContextState lookupContext(ThreadState ts, Object ctx) {
        WwContextState st = ts.context(ctx);
        if (st != null) {
            return st;
        }
        for (ThreadState other : threads) {
            if (other != ts && (st = other.context(ctx)) != null) {
                return st;
            }
        }
        st = ts.retiredContext(ctx);
        if (st != null) {
            return st;
        }
        for (ThreadState other : threads) {
            if (other != ts && (st = other.retiredContext(ctx)) != null) {
                return st;
            }
        }
        return null;
    }

    /** A ww_mutex held under a context is released: one lock fewer for that context. */
    void released(ThreadState ts, HeldLock h) {
        if (h.nest != null && h.cls.kind() == LockClass.Kind.WW_MUTEX) {
            WwContextState st = ts.context(h.nest);
            if (st != null && st.acquired > 0) {
                st.acquired--;
            }
        }
    }

    /** The ww lock call returned -EDEADLK: {@code lock} is the context's contended lock. */
    void backedOff(ThreadState ts, Object ctx, Object lock) {
        WwContextState st = ts.context(ctx);
        if (st != null) {
            st.contending = lock;
        }
    }

    /**
     * The kernel's ww debug checks for one ww_mutex acquisition ({@code __ww_mutex_check_kill},
     * {@code ww_mutex_lock_acquired}'s DEBUG_LOCKS_WARN_ONs): nesting without a context, the
     * context's owner and class, locking after done or fini, after -EDEADLK without backing off,
     * and lock_slow on the wrong lock or without contention.
     */
    void checkWw(ThreadState ts, Object lock, LockClass cls, Object ctx, boolean trylock, boolean slow, Object site) {
        if (ctx == null) {
            if (trylock) {
                return; // a trylock cannot deadlock: no nesting check, as validate_chain skips trylocks
            }
            for (int i = 0; i < ts.depth; i++) {
                HeldLock h = ts.held[i];
                if (HeldLocks.otherOfSameClass(h, lock, cls, null)) {
                    reporter.reportSimple(
                            ts,
                            Rules.WW_NEST_WITHOUT_CONTEXT,
                            "possible recursive locking detected",
                            ts.name() + " takes a second " + cls.name() + " ("
                                    + config.instanceNamer().apply(lock) + ") without an acquire context while holding "
                                    + config.instanceNamer().apply(h.instance),
                            "Lock several ww_mutexes of one class under one ww_acquire_ctx (or drm_exec), never nested plainly.",
                            reporter.lockInfo(lock, cls, Lockdep.WRITE, null, site),
                            List.of(cls));
                    return;
                }
            }
            return;
        }
        WwContextState st = lookupContext(ts, ctx);
        if (st == null) {
            return; // a context created before the agent saw it: nothing known
        }
        String what = null;
        String rule = null;
        String fix = null;
        if (st.owner != ts) {
            rule = Rules.WW_CONTEXT_WRONG_THREAD;
            what = ts.name() + " locks " + cls.name() + " under a context of " + st.owner.name();
            fix = "Keep each acquire context on the thread that called ww_acquire_init().";
        } else if (st.mutexClass != cls) {
            rule = Rules.WW_CLASS_MISMATCH;
            what = ts.name() + " locks a " + cls.name() + " under a context of " + st.acquireClass.name();
            fix = "Use an acquire context of the lock's own ww class.";
        } else if (st.finished || st.done) {
            rule = Rules.WW_LOCK_AFTER_DONE;
            what = ts.name() + " locks " + cls.name() + " after ww_acquire_" + (st.finished ? "fini" : "done");
            fix = "Acquire every lock of the transaction before ww_acquire_done(); start a new context for more.";
        } else if (st.contending != null && st.acquired > 0) {
            rule = Rules.WW_LOCK_AFTER_EDEADLK;
            what = ts.name() + " locks " + config.instanceNamer().apply(lock) + " after -EDEADLK on "
                    + config.instanceNamer().apply(st.contending) + " while still holding " + st.acquired + " lock(s)";
            fix = "On -EDEADLK unlock every lock of the context, then ww_mutex_lock_slow() the contended lock.";
        } else if (st.contending != null && st.contending != lock) {
            rule = Rules.WW_SLOW_WRONG_LOCK;
            what = ts.name() + " takes " + config.instanceNamer().apply(lock) + " after backing off, but "
                    + config.instanceNamer().apply(st.contending) + " was the contended lock";
            fix = "After backing off, ww_mutex_lock_slow() the lock that returned -EDEADLK first.";
        } else if (slow && st.contending == null) {
            rule = Rules.WW_SLOW_WITHOUT_CONTENTION;
            what = ts.name() + " calls ww_mutex_lock_slow on "
                    + config.instanceNamer().apply(lock) + " without a preceding -EDEADLK";
            fix = "Use ww_mutex_lock(); lock_slow is only for the contended lock after -EDEADLK.";
        }
        if (rule != null) {
            reporter.reportSimple(
                    ts,
                    rule,
                    "ww_mutex misuse detected",
                    what,
                    fix,
                    reporter.lockInfo(lock, cls, Lockdep.WRITE, null, site),
                    List.of(cls, st.acquireClass));
        }
    }

    /**
     * {@code ww_acquire_init(ctx, ww_class)}: a second active context of the class on one thread
     * is reported; the context's state is registered. The caller then pushes the context as a
     * held pseudo-lock of {@code acquireClass}, as the kernel does.
     */
    void init(ThreadState ts, Object ctx, LockClass acquireClass, LockClass mutexClass, Object site) {
        for (int i = 0; i < ts.contextCount; i++) {
            WwContextState other = ts.contexts[i];
            if (other.acquireClass == acquireClass && !other.finished) {
                reporter.reportSimple(
                        ts,
                        Rules.WW_TWO_CONTEXTS,
                        "possible recursive locking detected",
                        ts.name() + " initialises a second " + acquireClass.name()
                                + " context while one is still active",
                        "Use one acquire context per transaction: ww_acquire_fini() the first before ww_acquire_init() of the next.",
                        reporter.lockInfo(ctx, acquireClass, Lockdep.WRITE, null, site),
                        List.of(acquireClass));
                break;
            }
        }
        WwContextState st = ts.spare != null
                ? ts.spare.reset(ctx, acquireClass, mutexClass)
                : new WwContextState(ctx, ts, acquireClass, mutexClass);
        ts.spare = null;
        ts.addContext(st);
    }

    /** {@code ww_acquire_done} ({@code fini} false) or {@code ww_acquire_fini} on {@code ctx} by {@code ts}. */
    void contextEvent(ThreadState ts, Object ctx, Object site, boolean fini) {
        WwContextState st = lookupContext(ts, ctx);
        if (st == null) {
            return;
        }
        String fn = fini ? "ww_acquire_fini" : "ww_acquire_done";
        if (st.owner != ts) {
            reporter.reportSimple(
                    ts,
                    Rules.WW_CONTEXT_WRONG_THREAD,
                    "ww acquire context used by another thread",
                    ts.name() + " calls " + fn + " on a context of " + st.owner.name(),
                    "Keep each acquire context on the thread that called ww_acquire_init().",
                    reporter.lockInfo(ctx, st.acquireClass, Lockdep.WRITE, null, site),
                    List.of(st.acquireClass));
            return;
        }
        if (!fini) {
            if (st.done || st.finished) {
                reporter.reportSimple(
                        ts,
                        Rules.WW_DONE_TWICE,
                        "ww_acquire_done() called twice",
                        ts.name() + " calls ww_acquire_done on a context that is already "
                                + (st.finished ? "finished" : "done"),
                        "Call ww_acquire_done() once, after the last lock of the acquire phase.",
                        reporter.lockInfo(ctx, st.acquireClass, Lockdep.WRITE, null, site),
                        List.of(st.acquireClass));
            }
            st.done = true;
            return;
        }
        if (st.finished) {
            reporter.reportSimple(
                    ts,
                    Rules.WW_FINI_TWICE,
                    "ww_acquire_fini() called twice",
                    ts.name() + " calls ww_acquire_fini on a context that is already finished",
                    "Call ww_acquire_fini() once per ww_acquire_init().",
                    reporter.lockInfo(ctx, st.acquireClass, Lockdep.WRITE, null, site),
                    List.of(st.acquireClass));
            return;
        }
        if (st.acquired > 0) {
            reporter.reportSimple(
                    ts,
                    Rules.WW_FINI_WITH_LOCKS_HELD,
                    "ww_acquire_fini() with locks held",
                    ts.name() + " ends a " + st.acquireClass.name() + " context that still holds " + st.acquired + " "
                            + st.mutexClass.name() + " lock(s)",
                    "Unlock every ww_mutex taken under the context before ww_acquire_fini().",
                    reporter.lockInfo(ctx, st.acquireClass, Lockdep.WRITE, null, site),
                    List.of(st.acquireClass, st.mutexClass));
        }
        st.finished = true;
        st.done = true;
        int idx = ts.indexOfHeld(ctx);
        if (idx >= 0) {
            HeldLocks.remove(ts, idx);
        }
        ts.removeContext(st);
        ts.retire(st);
    }
}
