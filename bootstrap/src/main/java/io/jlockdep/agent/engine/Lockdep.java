package io.jlockdep.agent.engine;

import io.jlockdep.api.LockdepViolationError;
import io.jlockdep.api.Violation;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lockdep engine's front: the events the instrumentation calls, each guarded against
 * re-entry in one place ({@link #begin}), dispatched to the parts cut along lockdep's own seams
 * (kernel/locking/lockdep.c's {@code lock_acquire}, {@code lock_release} and
 * {@code lock_acquired}/{@code lock_contended} are these events):
 * <ul>
 *   <li>{@link LockAcquisition}: what one acquisition or release does ({@code __lock_acquire},
 *       {@code __lock_release});</li>
 *   <li>{@link HeldLocks}: the thread's held-lock stack and chain key ({@code curr->held_locks},
 *       {@code iterate_chain_key});</li>
 *   <li>{@link ChainValidator}: a chain never seen ({@code validate_chain} ->
 *       {@code check_prevs_add}), with the {@link ChainCache};</li>
 *   <li>{@link DependencyGraph}: lock classes, dependencies and the cycle search
 *       ({@code check_prev_add}, {@code check_noncircular});</li>
 *   <li>{@link WwChecks}: the ww_mutex debug checks (kernel/locking/ww_mutex.h);</li>
 *   <li>{@link ApiChecks}: the specification rules (the convention's {@code dma_resv_assert_held});</li>
 *   <li>{@link Reporter}: every report, deduplication, the outbox, fail mode ({@code print_*_bug}).</li>
 * </ul>
 *
 * <h2>Events</h2>
 * {@link #acquire} before a lock call can block (validation happens here, so a self-deadlock is
 * reported before it hangs), then {@link #acquired} or {@link #failed}; {@link #release};
 * {@link #enter}/{@link #exit} around API entry points and callbacks that a specification rule
 * is about; {@link #wwAcquireInit}/{@link #wwAcquireDone}/{@link #wwAcquireFini} for ww acquire
 * contexts; {@link #threadEnd} and {@link #checkNothingHeld}.
 *
 * <h2>Fast path</h2>
 * Acquiring a lock computes the next chain key; if the thread's own small cache of recent chains
 * or the shared {@link ChainCache} knows it, every dependency it implies is already in the graph
 * and validated: the fast path then only scans the thread's own stack (recursion, same-class
 * nesting) and pushes a reusable entry - no allocation, no global lock, no stack capture.
 *
 * <h2>Same-class nesting</h2>
 * Java has no nest annotations. Two locks of one class nest legally (1) under a common ww acquire
 * context (the kernel's nest_lock), or (2) when every thread orders the two instances the same
 * way ({@link InstanceOrder}, checked by the {@link ChainValidator}). No class-level self edge is
 * ever added. Re-entrant locks (flag {@link #REENTRANT}) count holds instead.
 *
 * <h2>Bounds and failure</h2>
 * Classes, edges, chains, instance edges and stack depth are capped ({@link LockdepConfig}).
 * Reaching a cap sends one notice and stops that kind of validation, as lockdep's
 * MAX_LOCKDEP_* messages do. In fail mode each violation throws {@link LockdepViolationError}
 * from the event call, before the state changes. An internal error is reported once and the
 * engine switches itself off rather than disturb the application.
 *
 * <p>This class is longer than the others (about 550 lines) because it is the engine's whole
 * public surface: every event with its guard, and the queries reports and tools read. The work
 * itself is in the classes listed above and in {@link LockAcquisition}.
 */
public final class Lockdep {

    /** Read mode: exclusive (the kernel's read == 0). */
    public static final int WRITE = 0;
    /** Read mode: shared, but queued writers can block it (rwsem readers, ReentrantReadWriteLock). */
    public static final int READ = 1;
    /** Read mode: recursive read, never blocked by queued writers (the kernel's read == 2). */
    public static final int RECURSIVE_READ = 2;

    /** Acquire flag: a trylock, which cannot block (no dependency is added towards it). */
    public static final int TRYLOCK = 1;
    /** Acquire flag: the lock is re-entrant for its holder (holds are counted). */
    public static final int REENTRANT = 2;
    /** Acquire flag: {@code ww_mutex_lock_slow}. */
    public static final int WW_SLOW = 4;

    /**
     * Flag: the lock taken has only ever been used by the thread taking it now, the thread that
     * made it, as the instrumentation tells for the JDK's locks (a lock one thread makes and
     * another takes is shared from then on). Nothing else can hold it now, so the dependency
     * this acquisition adds is private to the thread ({@link Edge#privateTo}): a cycle that needs
     * the lock held by a thread that never took it is not reported
     * ({@code ChainValidator.privateMeetsShared}), and once a second thread takes the lock
     * ({@link #lockShared}) every search passes the dependency by. A lock allocated by a static
     * initialiser is shared from the start.
     */
    public static final int PRIVATE = 8;

    /** Failure reason: the acquisition did not happen (trylock timeout, interrupt, exception). */
    public static final int FAILED = 0;
    /** Failure reason: the ww lock returned -EDEADLK; its context must back off. */
    public static final int FAILED_WW_DEADLOCK = 1;

    private final LockdepConfig config;
    /**
     * Every thread's state, by thread. The {@link #current} thread-local is only the fast way to
     * it: a thread's locals can be erased while it lives (the common fork-join pool's workers
     * erase theirs after each task), and the thread then finds its state here again, with the
     * locks it holds, instead of starting a second one that would never be dropped.
     */
    private final ConcurrentHashMap<Thread, ThreadState> byThread = new ConcurrentHashMap<>();

    private final Collection<ThreadState> threads = byThread.values();
    private final ThreadLocal<ThreadState> current;
    private final Reporter reporter;
    private final DependencyGraph graph;
    private final ChainValidator chains;
    private final WwChecks ww;
    private final ApiChecks api;
    private final LockAcquisition acq;

    public Lockdep(LockdepConfig config, ViolationSink sink) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(sink, "sink");
        Object graphLock = new Object();
        this.reporter = new Reporter(config, sink, graphLock, threads);
        this.graph = new DependencyGraph(config, reporter, graphLock);
        this.chains = new ChainValidator(config, graph, reporter);
        this.ww = new WwChecks(config, reporter, threads);
        this.api = new ApiChecks(reporter);
        this.acq = new LockAcquisition(config, reporter, chains, ww);
        this.current = ThreadLocal.withInitial(this::newThreadState);
    }

    private ThreadState newThreadState() {
        Thread thread = Thread.currentThread();
        ThreadState ts = byThread.get(thread);
        if (ts == null) { // not computeIfAbsent: the compute family raises lock events
            ts = new CacheLinePadding.ThreadStateTail(thread, 16);
            byThread.put(thread, ts); // only this thread adds its own state
        }
        return ts;
    }

    public LockdepConfig config() {
        return config;
    }

    // =====================================================================================
    // Lock classes

    /**
     * Whether a class (binary name) is the JDK's own code: where the JDK's internal locks are
     * allocated, and the frames a report skips to find the application's call site.
     */
    public static boolean isJdkClass(String className) {
        return className.startsWith("java.")
                || className.startsWith("jdk.")
                || className.startsWith("sun.")
                || className.startsWith("com.sun.");
    }

    /** As {@link #lockClass(Object, String, LockClass.Kind)}, for a lock of the JDK's own internals. */
    public LockClass internalLockClass(Object key, String name, LockClass.Kind kind) {
        return graph.internalLockClass(key, name, kind);
    }

    /**
     * As {@link #lockClass(Object, String, LockClass.Kind)}, for the monitors of a JDK type, which
     * the JDK nests by design ({@link LockClass#nestable}).
     */
    public LockClass nestableLockClass(Object key, String name, LockClass.Kind kind) {
        LockClass c = graph.lockClass(key, name, kind);
        if (c != null && !c.nestable) {
            c.nestable = true;
        }
        return c;
    }

    /**
     * The class for {@code key}, created on first use ({@code register_lock_class}). Returns null
     * once {@link LockdepConfig#maxClasses()} classes exist (events with a null class are ignored).
     */
    public LockClass lockClass(Object key, String name, LockClass.Kind kind) {
        return graph.lockClass(key, name, kind);
    }

    /**
     * Gives {@code cls} a qualified name (two Java classes of one name from two class loaders):
     * reports made from now on use it.
     */
    public void renameClass(LockClass cls, String name) {
        graph.renameClass(cls, name);
    }

    // =====================================================================================
    // Acquire / release

    /**
     * A thread is about to acquire {@code lock}: validate, then record it as pending. Called
     * before the real lock call can block; for a trylock, call it after the trylock succeeded.
     *
     * @param read  {@link #WRITE}, {@link #READ} or {@link #RECURSIVE_READ}
     * @param flags {@link #TRYLOCK}, {@link #REENTRANT}, {@link #WW_SLOW}
     * @param wwCtx the ww acquire context (the nest lock), or null
     * @param site  an opaque description of the call site for reports, or null
     * @throws LockdepViolationError in fail mode, when the acquisition violates a rule
     */
    public void acquire(Object lock, LockClass cls, int read, int flags, Object wwCtx, Object site) {
        ThreadState ts = lock == null || cls == null ? null : idle();
        if (ts == null) {
            return;
        }
        Object call = ts.takeCallSite();
        if (site == null) {
            site = call;
        }
        if (wwCtx != null
                || acq.acquireFast(
                                ts,
                                lock,
                                cls,
                                read,
                                (flags & TRYLOCK) != 0,
                                (flags & REENTRANT) != 0,
                                site,
                                (flags & PRIVATE) != 0)
                        == null) {
            acquireSlow(ts, lock, cls, read, flags, wwCtx, site);
        }
    }

    /**
     * {@link #acquire} past the fast path ({@link LockAcquisition#acquireFast}): the whole of
     * {@code __lock_acquire}, inside the re-entry guard. Kept apart so that the fast path stays
     * small enough for the JIT to inline into the hooks.
     */
    private void acquireSlow(
            ThreadState ts, Object lock, LockClass cls, int read, int flags, Object wwCtx, Object site) {
        ts.busy = true;
        try {
            acq.acquire(ts, lock, cls, read, flags, wwCtx, site);
        } catch (RuntimeException e) {
            reporter.internalError(e);
        } finally {
            ts.busy = false;
        }
    }

    /**
     * {@link #acquire} of a blocking lock call, returning the entry it left pending as a token for
     * {@link #acquiredBlocking} (null when none was: a re-entry, an ignored event), so that the
     * call's exit settles it without looking the thread's state up again.
     */
    public Object acquireBlocking(Object lock, LockClass cls, int read, int flags) {
        ThreadState ts = lock == null || cls == null ? null : idle();
        if (ts == null) {
            return null;
        }
        Object site = ts.takeCallSite();
        HeldLock known = (flags & TRYLOCK) == 0
                ? acq.acquireFast(ts, lock, cls, read, false, (flags & REENTRANT) != 0, site, (flags & PRIVATE) != 0)
                : null;
        if (known != null) {
            // a known chain or a re-entry: no engine code ran, so no re-entry guard was needed
            return known == LockAcquisition.REENTERED ? null : known;
        }
        acquireSlow(ts, lock, cls, read, flags, null, site);
        HeldLock top = ts.depth > 0 ? ts.held[ts.depth - 1] : null;
        return top != null && top.instance == lock && top.pending ? top : null;
    }

    /**
     * The blocking call that {@link #acquireBlocking} returned {@code token} for succeeded: its
     * entry is settled directly (the thread's own entry: the call runs no tracked acquisition in
     * between). An entry that is no longer the pending entry of {@code lock} goes the long way.
     */
    public void acquiredBlocking(Object token, Object lock) {
        if (token instanceof HeldLock) {
            HeldLock h = (HeldLock) token;
            if (h.instance == lock && h.pending && h.nest == null) {
                h.pending = false;
                return;
            }
        }
        acquired(lock);
    }

    /**
     * The calling thread is about to call a lock method at {@code site} (an opaque description,
     * as {@link #acquire}'s): the acquisition that call makes gets it as its site when it brings
     * none of its own (a JDK lock, whose hooks run inside the lock's code, not at the call), so
     * that held-lock lists say where each lock was taken on the fast path too, without a stack
     * walk (the kernel's {@code lock_acquire} gets its caller's address, {@code _RET_IP_}). The
     * next acquisition of any lock takes it; {@link #dropCallSite} forgets it when the call
     * acquired nothing (a failed trylock).
     */
    public void callSite(Object site) {
        if (!reporter.disabled) {
            current.get().callSite = site;
        }
    }

    /** The lock call {@link #callSite} announced acquired nothing: its site is forgotten. */
    public void dropCallSite() {
        if (!reporter.disabled) {
            current.get().callSite = null;
        }
    }

    /** The pending acquisition of {@code lock} succeeded ({@code lock_acquired}). */
    public void acquired(Object lock) {
        ThreadState ts = lock == null ? null : idle();
        if (ts == null) {
            return;
        }
        int i = HeldLocks.indexOfPending(ts, lock);
        if (i >= 0) {
            HeldLock h = ts.held[i];
            h.pending = false;
            ww.acquired(ts, h, lock);
        }
    }

    /**
     * Whether {@code cls} may still be split into finer classes (a monitor's class whose objects
     * are made at several sites, none seen nested under another made elsewhere: issue 28). While
     * it may, a cycle that joins two different objects of it is not reported at once: it waits,
     * and is reported when the run ends ({@link #releaseDeferred}) unless the class is split
     * first ({@code undecided} false), which drops it; each later run of its chain is validated
     * again, with the finer classes.
     */
    public void rolesUndecided(LockClass cls, boolean undecided) {
        if (cls == null) {
            return;
        }
        synchronized (graph.lock) {
            cls.rolesUndecided = undecided;
            if (!undecided) {
                reporter.rolesDecided(cls);
            }
        }
    }

    /**
     * {@code lock} (of class {@code cls}), which only one thread had taken, is taken by
     * another thread now: the dependencies recorded on it before ({@link #PRIVATE}) were taken
     * while nothing else could hold it, and another thread's cycle search passes them by.
     */
    public void lockShared(Object lock, LockClass cls) {
        if (lock == null || cls == null || !cls.hasPrivateIn) {
            return; // the common case: nothing was recorded on it privately
        }
        synchronized (graph.lock) {
            for (Edge e : cls.privateIn) {
                e.sharedLater(lock);
            }
        }
    }

    /** The run ends: the cycles still waiting on undecided roles ({@link #rolesUndecided}) are reported. */
    public void releaseDeferred() {
        reporter.releaseDeferred(graph.lock);
    }

    /**
     * Another instance of {@code cls} that the calling thread holds (acquired), or null: the
     * kernel's {@code check_deadlock} scan, asked by instrumentation that may give the lock now
     * taken a finer class (a monitor's role, made at another site than the one held).
     */
    public Object heldOther(LockClass cls, Object lock) {
        ThreadState ts = lock == null || cls == null ? null : idle();
        if (ts == null) {
            return null;
        }
        for (int i = ts.depth - 1; i >= 0; i--) {
            HeldLock h = ts.held[i];
            if (HeldLocks.otherOfSameClass(h, lock, cls, null)) {
                return h.instance;
            }
        }
        return null;
    }

    /**
     * The calling thread holds {@code lock}, which now has the finer class {@code cls} (its
     * role, told only now that another instance of its class is taken under it): its held entry
     * takes {@code cls}, the chain keys above it are recomputed, and the dependency from it to the
     * lock taken right after it is added and checked as {@code check_prev_add} would have at that
     * lock's acquisition. The dependencies the entry gave its old class stay.
     *
     * @throws LockdepViolationError in fail mode, when that dependency closes a cycle
     */
    public void reclassHeld(Object lock, LockClass cls) {
        ThreadState ts = lock == null || cls == null ? null : begin();
        if (ts == null) {
            return;
        }
        try {
            int i = ts.indexOfHeld(lock);
            if (i < 0 || ts.held[i].cls == cls) {
                return;
            }
            ts.held[i].cls = cls; // a monitor's holds are one entry
            HeldLocks.rekey(ts, i);
            chains.revalidateAbove(ts, i);
        } catch (RuntimeException e) {
            reporter.internalError(e);
        } finally {
            ts.busy = false;
        }
        chains.throwPending(ts);
    }

    /**
     * The pending acquisition of {@code lock} did not happen (a failed trylock with timeout,
     * an interrupt, EDEADLK, an exception). With {@link #FAILED_WW_DEADLOCK} the context records
     * {@code lock} as contended. A failure without a pending acquisition (EALREADY, or an
     * acquisition the engine chose not to track) changes nothing.
     */
    public void failed(Object lock, Object wwCtx, int reason) {
        ThreadState ts = lock == null ? null : idle();
        if (ts == null) {
            return;
        }
        int i = HeldLocks.indexOfPending(ts, lock);
        if (i >= 0) {
            HeldLocks.remove(ts, i);
        } else if (ts.untracked > 0 && ts.depth >= config.maxDepth()) {
            ts.untracked--; // an acquisition past MAX_LOCK_DEPTH that did not happen
        }
        if (reason == FAILED_WW_DEADLOCK && wwCtx != null) {
            ww.backedOff(ts, wwCtx, lock);
        }
    }

    /**
     * The thread releases {@code lock} (in mode {@code read}). Releasing a lock the thread does not
     * hold is reported ({@code lockdep/bad-unlock-balance}; {@code ww/unlock-not-held} for ww
     * mutexes).
     */
    public void release(Object lock, LockClass cls, int read) {
        ThreadState ts = lock == null || cls == null ? null : begin();
        if (ts == null) {
            return;
        }
        try {
            acq.release(ts, lock, cls, read);
        } catch (RuntimeException e) {
            reporter.internalError(e);
        } finally {
            ts.busy = false;
        }
    }

    /**
     * A binary semaphore (tracked as a mutex) is being released while {@code free} permits are
     * already free: released more times than acquired, it would no longer exclude anyone
     * ({@code lockdep/bad-unlock-balance}).
     */
    public void overRelease(Object lock, LockClass cls, int free) {
        ThreadState ts = lock == null || cls == null ? null : begin();
        if (ts == null) {
            return;
        }
        try {
            reporter.reportOverRelease(ts, lock, cls, free);
        } catch (RuntimeException e) {
            reporter.internalError(e);
        } finally {
            ts.busy = false;
        }
    }

    /**
     * The re-entry guard of the events that run engine code: the calling thread's state, marked
     * busy, or null when the engine is off or this thread is already inside it (an event raised by
     * the engine's own work, e.g. a lock taken while building a report). The caller clears
     * {@code busy} in a finally block and turns a RuntimeException into {@code Reporter.internalError}.
     */
    private ThreadState begin() {
        ThreadState ts = idle();
        if (ts != null) {
            ts.busy = true;
        }
        return ts;
    }

    /**
     * The guard itself: the calling thread's state, or null when the engine is off or the thread
     * is inside it. Alone, for the events that only settle or pop the thread's own stack and run
     * no engine code that could raise another event ({@link #acquired}, {@link #failed},
     * {@link #releaseAll}, {@link #exit}); with {@code busy} set, as {@link #begin}, for the rest.
     */
    private ThreadState idle() {
        if (reporter.disabled) {
            return null;
        }
        ThreadState ts = current.get();
        return ts.busy ? null : ts;
    }

    /**
     * The fast path of a release, for instrumentation that must look the lock's class up only
     * when it is needed: releases {@code lock} if the thread holds it and returns true; returns
     * false, and reports nothing, when it does not (call {@link #release} then, with the class).
     */
    public boolean releaseIfHeld(Object lock, int read) {
        ThreadState ts = lock == null ? null : idle();
        if (ts == null) {
            return true;
        }
        int idx = HeldLocks.indexForRelease(ts, lock, read);
        if (idx < 0) {
            return false;
        }
        releaseHeld(ts, idx); // the entry release() would pick, found once
        return true;
    }

    /**
     * Instances of {@code cls} turned out to be signals, not locks ({@code why}: a
     * {@code Semaphore(1)} released by a thread that had not acquired it): the class is no longer
     * tracked, the dependencies through it no longer close cycles, and a notice says so, once.
     *
     * @return whether this call marked it (false when it was already)
     */
    public boolean notALock(LockClass cls, String why) {
        if (cls == null || cls.signal) {
            return false;
        }
        cls.signal = true;
        addNotice(cls.name() + " " + why + ": a signal, not a lock; it is no longer checked as a lock");
        return true;
    }

    /**
     * A lock without an owner ({@code StampedLock}: any thread may release a stamp) was released
     * by a thread that does not hold it, and the lock accepted the release: the thread that holds
     * it is told ({@link ThreadState#remoteReleases}) and drops its hold on its next slow-path
     * event. Nothing is reported; a lock nobody is known to hold (taken before the agent was
     * attached) needs nothing.
     */
    public void releaseElsewhere(Object lock, int read) {
        ThreadState me = lock == null ? null : begin();
        if (me == null) {
            return;
        }
        try {
            for (ThreadState t : threads) {
                if (t != me && t.seemsToHold(lock)) {
                    t.remoteReleases.add(new Object[] {lock, read});
                    return;
                }
            }
        } catch (RuntimeException e) {
            reporter.internalError(e);
        } finally {
            me.busy = false;
        }
    }

    /**
     * The exit of a monitor: released if the thread holds it (after bringing its monitors in line
     * with the JVM, should an "acquired" event have been lost). An exit the thread holds no entry
     * for is dropped, not reported: the JVM balances monitors itself, so it can only be the exit of
     * an entry the agent did not track (a class-loading lock, a monitor taken before the agent
     * started).
     */
    public void releaseMonitor(Object monitor) {
        ThreadState ts = monitor == null ? null : idle();
        if (ts == null) {
            return;
        }
        int idx = ts.indexOfHeld(monitor);
        if (idx < 0 && HeldLocks.resyncMonitors(ts)) {
            idx = ts.indexOfHeld(monitor);
        }
        if (idx >= 0) {
            releaseHeld(ts, idx);
        }
    }

    /**
     * Releases held entry {@code idx}. The last hold of a lock taken without a ww context is only
     * popped off the thread's own stack, which runs no engine code that could raise an event;
     * anything else runs inside the re-entry guard.
     */
    private void releaseHeld(ThreadState ts, int idx) {
        HeldLock h = ts.held[idx];
        if (h.holds == 1 && h.nest == null && ts.guardDepth == 0) {
            HeldLocks.remove(ts, idx);
            return;
        }
        ts.busy = true;
        try {
            acq.releaseAt(ts, idx);
        } catch (RuntimeException e) {
            reporter.internalError(e); // like every other event: an internal error never reaches the application
        } finally {
            ts.busy = false;
        }
    }

    /** The mode the calling thread holds {@code lock} in ({@link #WRITE}, {@link #READ}...), or -1. */
    public int heldMode(Object lock) {
        if (reporter.disabled || lock == null) {
            return -1;
        }
        ThreadState ts = current.get();
        int idx = ts.indexOfHeld(lock);
        return idx < 0 ? -1 : ts.held[idx].read;
    }

    /**
     * {@code lockdep_assert_held()} for a member's lock contract: a read or a write of a
     * {@code @GuardedBy} field, or the entry of a {@code @GuardedBy} or {@code @Holding} method.
     * The calling thread must hold {@code lock}, and for a field write hold it for writing (a
     * read-write lock held only for reading does not do). Otherwise {@code guard/unguarded-read},
     * {@code guard/unguarded-write} or {@code guard/not-holding} is reported, once per rule,
     * member and site. The held-lock stack is the truth, as for every check; a monitor the agent
     * did not see taken (before it started) is asked of the JVM before anything is reported.
     * Nothing is allocated unless something is reported.
     *
     * @param lock  the lock the contract's expression names, keyed as the engine keys it (a JDK
     *              lock's synchronizer), or null when it could not be resolved (nothing checked)
     * @param write a field write
     * @param site  the access site's number from the instrumentation, or 0 (then the caller's frame
     *              tells repeats apart)
     * @param owner the object whose field is accessed or whose method is entered: exempt while one
     *              of the thread's constructors builds it ({@link #constructing}); for a static
     *              member its {@code Class}, exempt while the thread initialises that class; null
     *              when not known (an {@code itself} read: exempt inside any constructor or the
     *              static initialiser of the member's class)
     * @throws LockdepViolationError in fail mode, when the contract is broken
     */
    public void guarded(GuardRule rule, Object lock, boolean write, int site, Object owner) {
        ThreadState ts = lock == null || rule == null ? null : idle();
        if (ts == null) {
            return;
        }
        boolean heldForReading = false;
        for (int i = ts.depth - 1; i >= 0; i--) {
            HeldLock h = ts.held[i];
            if (h.instance == lock && !h.pending) {
                if (!write || h.read == WRITE) {
                    return;
                }
                heldForReading = true;
            }
        }
        if (!heldForReading && Thread.holdsLock(lock)) {
            return; // a monitor taken before the agent saw it: the JVM knows
        }
        ts.busy = true;
        try {
            reporter.reportGuard(ts, rule, lock, write, heldForReading, site, owner);
        } catch (RuntimeException e) {
            reporter.internalError(e);
        } finally {
            ts.busy = false;
        }
    }

    /**
     * A constructor of the calling thread starts building {@code object} (right after its
     * {@code super(...)} or {@code this(...)} call): until {@link #constructed}, the object is not
     * shared yet and its lock contracts do not bind, as the static checkers have it (JCIP, Error
     * Prone's GuardedBy: an object's own fields in its constructor). The object, not its class: a
     * constructor that touches another, shared object of its class is checked.
     */
    public void constructing(Object object) {
        ThreadState ts = current.get();
        int d = ts.buildingDepth;
        if (d == ts.building.length) {
            if (d == ThreadState.MAX_BUILDING) {
                ts.buildingOverflow++;
                return;
            }
            ts.building = java.util.Arrays.copyOf(ts.building, d * 2);
        }
        ts.building[d] = object;
        ts.buildingDepth = d + 1;
    }

    /**
     * The constructor that announced {@code object} ({@link #constructing}) returned or threw. The
     * topmost entry of {@code object} goes, with any above it (a constructor whose exit was not
     * seen); a second call for the same exit finds nothing and changes nothing.
     */
    public void constructed(Object object) {
        ThreadState ts = current.get();
        for (int i = ts.buildingDepth - 1; i >= 0; i--) {
            if (ts.building[i] == object) {
                for (int j = i; j < ts.buildingDepth; j++) {
                    ts.building[j] = null;
                }
                ts.buildingDepth = i;
                return;
            }
        }
        if (ts.buildingOverflow > 0) {
            ts.buildingOverflow--;
        }
    }

    /**
     * Entry into a {@code @ReleasesNoLocks} or {@code @LockingFree} method ({@code rule} is a
     * scope): until {@link #guardScopeExit}, releasing a lock the method was called with is
     * {@code guard/released-lock}, and in a {@code @LockingFree} method taking any lock is
     * {@code guard/acquired-lock}.
     */
    public void guardScopeEnter(GuardRule rule) {
        ThreadState ts = rule == null || !rule.isScope() ? null : idle();
        if (ts != null) {
            GuardScopes.enter(ts, rule);
        }
    }

    /** Exit (normal or exceptional) from the method {@link #guardScopeEnter} entered. */
    public void guardScopeExit(GuardRule rule) {
        ThreadState ts = rule == null ? null : idle();
        if (ts != null && ts.guardDepth != 0) {
            GuardScopes.exit(ts, rule);
        }
    }

    /**
     * A wait that gives the lock up entirely until the thread is woken ({@code Object.wait},
     * {@code Condition.await}): every re-entrant hold of {@code lock} is dropped from the thread's
     * stack at once.
     *
     * @return the number of holds to give back to {@link #reacquire} (0 when the thread does not
     *         hold it: the wait itself will then throw IllegalMonitorStateException)
     */
    public int releaseAll(Object lock) {
        ThreadState ts = lock == null ? null : idle();
        if (ts == null) {
            return 0;
        }
        int idx = ts.indexOfHeld(lock);
        if (idx < 0) {
            return 0;
        }
        int holds = ts.held[idx].holds;
        HeldLocks.remove(ts, idx);
        return holds;
    }

    /**
     * The waiter of {@link #releaseAll} holds {@code lock} again, {@code holds} times. The
     * re-acquisition is validated like any blocking acquisition: the thread waited for it with
     * whatever else it still held.
     */
    public void reacquire(Object lock, LockClass cls, int read, int holds) {
        if (holds <= 0) {
            return;
        }
        acquire(lock, cls, read, REENTRANT, null, null);
        acquired(lock);
        for (int i = 1; i < holds; i++) {
            acquire(lock, cls, read, REENTRANT, null, null);
        }
    }

    // =====================================================================================
    // ww acquire contexts

    /**
     * {@code ww_acquire_init(ctx, ww_class)}: the context becomes a held pseudo-lock of
     * {@code acquireClass} until fini, as in the kernel, so its order against other locks is
     * validated; locks of {@code mutexClass} taken under it nest legally.
     */
    public void wwAcquireInit(Object ctx, LockClass acquireClass, LockClass mutexClass, Object site) {
        ThreadState ts = ctx == null || acquireClass == null || mutexClass == null ? null : begin();
        if (ts == null) {
            return;
        }
        try {
            ww.init(ts, ctx, acquireClass, mutexClass, site);
            acq.acquire(ts, ctx, acquireClass, WRITE, 0, null, site);
            for (int i = ts.depth - 1; i >= 0; i--) {
                if (ts.held[i].instance == ctx) {
                    ts.held[i].pending = false;
                    break;
                }
            }
        } catch (RuntimeException e) {
            reporter.internalError(e);
        } finally {
            ts.busy = false;
        }
    }

    /** {@code ww_acquire_done(ctx)}. */
    public void wwAcquireDone(Object ctx, Object site) {
        wwContextEvent(ctx, site, false);
    }

    /** {@code ww_acquire_fini(ctx)}. */
    public void wwAcquireFini(Object ctx, Object site) {
        wwContextEvent(ctx, site, true);
    }

    private void wwContextEvent(Object ctx, Object site, boolean fini) {
        ThreadState ts = ctx == null ? null : begin();
        if (ts == null) {
            return;
        }
        try {
            ww.contextEvent(ts, ctx, site, fini);
        } catch (RuntimeException e) {
            reporter.internalError(e);
        } finally {
            ts.busy = false;
        }
    }

    // =====================================================================================
    // API and callback rules

    /**
     * Entry into a function or callback a specification rule is about, with the lock instance
     * the rule concerns (null when it cannot be resolved, which skips the check). Must be paired
     * with {@link #exit(ApiRule)}.
     */
    public void enter(ApiRule rule, Object lock, Object site) {
        ThreadState ts = rule == null ? null : begin();
        if (ts == null) {
            return;
        }
        try {
            api.enter(ts, rule, lock, site);
        } catch (RuntimeException e) {
            reporter.internalError(e);
        } finally {
            ts.busy = false;
        }
    }

    /** Exit from the scope {@link #enter} opened for {@code rule} (normal or exceptional). */
    public void exit(ApiRule rule) {
        ThreadState ts = rule == null ? null : idle();
        if (ts != null) {
            ApiChecks.exit(ts, rule);
        }
    }

    // =====================================================================================
    // Thread end, test end

    /**
     * The calling thread ends: report locks it still holds ({@code lockdep/held-lock-at-exit})
     * and forget its state.
     */
    public void threadEnd() {
        ThreadState ts = current.get();
        if (ts.busy) {
            return;
        }
        ts.busy = true;
        try {
            if (!reporter.disabled) {
                acq.applyRemoteReleases(ts);
                reporter.checkHeld(ts, "exits");
            }
        } catch (RuntimeException e) {
            reporter.internalError(e);
        } finally {
            ts.busy = false;
            forget(ts);
        }
    }

    private void forget(ThreadState ts) {
        byThread.remove(ts.thread, ts);
        current.remove();
    }

    /**
     * An explicit check that the calling thread holds nothing (at the end of a test, say).
     *
     * @param where what is ending, for the report (e.g. a test name)
     * @return true when nothing is held
     */
    /** Reports {@code lockdep/held-lock-at-exit} when the calling thread holds locks; whether nothing was held. */
    public boolean checkNothingHeld(String where) {
        ThreadState ts = begin();
        if (ts == null) {
            return true;
        }
        try {
            acq.applyRemoteReleases(ts);
            return reporter.checkHeld(ts, "reaches " + where);
        } catch (RuntimeException e) {
            reporter.internalError(e);
            return true;
        } finally {
            ts.busy = false;
        }
    }

    // =====================================================================================
    // Queries

    /** Every violation reported so far, in order. */
    public List<Violation> violations() {
        return reporter.violations();
    }

    /** The user's suppression entries, each with the violations it covered so far (0: unused). */
    public List<Suppressions.Count> suppressions() {
        return config.suppressions().counts();
    }

    /** The notices sent so far (limits reached, internal errors). */
    public Set<String> notices() {
        return reporter.notices();
    }

    public int classCount() {
        return graph.classCount();
    }

    public int edgeCount() {
        return graph.edgeCount();
    }

    public int chainCount() {
        return chains.chainCount();
    }

    /** Whether the dependency {@code from -> to} is recorded. */
    public boolean hasDependency(LockClass from, LockClass to) {
        return graph.hasDependency(from, to);
    }

    /**
     * A copy of every dependency judged, in the order they were first seen: the graph's, and
     * those that closed a reported cycle ({@link Edge#closesCycle()}).
     */
    public List<Edge> dependencies() {
        return graph.dependencies();
    }

    /** Every lock class, in creation order. */
    public List<LockClass> classes() {
        return graph.classes();
    }

    /** The locks the calling thread holds, bottom first (the kernel's lockdep_print_held_locks). */
    public List<Violation.LockInfo> heldLocks() {
        return reporter.heldInfos(current.get());
    }

    /** For diagnostics: a snapshot of every live thread's held locks, by "name/id" (as the kernel names a task "name/pid"). */
    public Map<String, List<Violation.LockInfo>> allHeldLocks() {
        Map<String, List<Violation.LockInfo>> out = new LinkedHashMap<>();
        for (ThreadState ts : threads) {
            List<Violation.LockInfo> held = reporter.heldInfos(ts);
            if (!held.isEmpty()) {
                out.put(ts.name() + "/" + ts.thread.getId(), held); // two threads may share a name
            }
        }
        return out;
    }

    /** Whether the engine switched itself off after an internal error. */
    public boolean isDisabled() {
        return reporter.disabled;
    }

    /** Records a notice in {@link #notices()} without sending it to the sink (nothing is printed). */
    public void addQuietNotice(String text) {
        reporter.addQuietNotice(text);
    }

    /** Records a notice from the instrumentation (sent once, kept in {@link #notices()}). */
    public void addNotice(String text) {
        reporter.notice(text);
    }

    // =====================================================================================
    // Real deadlocks (DeadlockDetector) and tests

    /** Every thread the engine tracks. */
    Collection<ThreadState> threadStates() {
        return threads;
    }

    /** The recorded dependency {@code from -> to} (in the graph, or one that closed a reported cycle), or null. */
    Edge edgeBetween(LockClass from, LockClass to) {
        return graph.edgeBetween(from, to);
    }

    /** The first occurrence of the same-class instance dependency {@code from -> to} (recorded or closing a reported cycle), or null. */
    InstanceOrder.Link instanceLink(Object from, Object to) {
        synchronized (graph.lock) {
            return chains.instanceLink(from, to);
        }
    }

    /**
     * A deadlock the watchdog found: reported once, never thrown (the watchdog is not the
     * deadlocked thread), from the watchdog's thread.
     */
    void reportDeadlock(String message, ThreadState first) {
        reporter.reportDeadlock(message, first);
    }

    /** A deadlock the JVM found among locks not all tracked ({@link JvmDeadlocks}): {@code lockdep/deadlock}. */
    void reportObservedDeadlock(String message, Thread first, StackTraceElement[] stack) {
        ThreadState ts = null;
        for (ThreadState s : threads) {
            if (s.thread == first) {
                ts = s;
            }
        }
        reporter.reportObservedDeadlock(message, first, ts, stack);
    }

    /** Whether the topological order still holds for every dependency (tests). */
    boolean orderConsistent() {
        return graph.orderConsistent();
    }

    /** Whether the topological order is still in use (no cycle through recursive reads yet). */
    boolean orderValid() {
        return graph.orderValid();
    }
}
