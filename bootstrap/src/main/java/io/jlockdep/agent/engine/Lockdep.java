package io.jlockdep.agent.engine;

import io.jlockdep.api.LockdepViolationError;
import io.jlockdep.api.Rules;
import io.jlockdep.api.RunningAgent;
import io.jlockdep.api.Violation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The lockdep engine: fed by events, keeps the lock-dependency graph, reports violations.
 *
 * <h2>Events</h2>
 * The instrumentation translates bytecode into these calls and nothing more:
 * {@link #acquire} before a lock call can block (validation happens here, so a self-deadlock is
 * reported before it hangs), then {@link #acquired} or {@link #failed}; {@link #release};
 * {@link #enter}/{@link #exit} around API entry points and callbacks that a specification rule
 * is about; {@link #wwAcquireInit}/{@link #wwAcquireDone}/{@link #wwAcquireFini} for ww acquire
 * contexts; {@link #threadEnd} and {@link #checkNothingHeld}.
 *
 * <h2>State</h2>
 * Each thread has an array stack of held locks ({@link ThreadState}) and a 64-bit chain key
 * folded from the classes (and read/trylock bits) of that stack, as the kernel's
 * {@code iterate_chain_key}. Acquiring a lock computes the next key; if the thread's own small
 * cache of recent chains or the shared {@link ChainCache} knows it, every dependency it implies
 * is already in the graph and validated: the fast path
 * then only scans the thread's own stack (recursion, same-class nesting) and pushes a reusable
 * entry - no allocation, no global lock, no stack capture. Only a chain never seen takes the slow
 * path: under the graph lock it adds the kernel's {@code check_prevs_add} dependencies
 * ({@code prev -> next} from the top held lock, and from each trylock above the first non-trylock
 * entry), captures the stack of each new edge's first occurrence and checks each new edge for a
 * cycle.
 *
 * <h2>Cycle search</h2>
 * A breadth-first search from the new lock looking for the held one, as lockdep's
 * {@code check_noncircular}: the shortest cycle is found and reported, and the search follows only
 * strong paths - each edge carries the kernel's four dependency kinds (SR, ER, SN, EN: shared or
 * exclusive holder, recursive-read or not acquirer) and a path may not continue {@code -(*R)->}
 * with {@code -(S*)->}, because two readers of a recursive-read lock do not block each other.
 * BFS because it matches the kernel's verdicts exactly (including the read/write rules) and
 * gives the shortest cycle for the report; an incremental topological order ({@link TopoOrder})
 * in front of it skips the searches that cannot succeed (a new dependency that goes "up" the
 * order) and bounds the others, which keeps a new dependency cheap in a large graph.
 * Cycle-closing edges are not added, so the graph stays acyclic and each cycle is reported once
 * (a cycle serialised by a gate lock is added: it is not a deadlock, and the order then gives
 * way to full searches).
 *
 * <h2>Same-class nesting</h2>
 * Java has no nest annotations. Two locks of one class nest legally (1) under a common ww acquire
 * context (the kernel's nest_lock), or (2) when every thread orders the two instances the same
 * way: {@link InstanceOrder} records instance-level edges for same-class pairs and reports an
 * instance cycle as a circular dependency. No class-level self edge is ever added. Re-entrant
 * locks (flag {@link #REENTRANT}) count holds instead.
 *
 * <h2>Bounds and failure</h2>
 * Classes, edges, chains, instance edges and stack depth are capped ({@link LockdepConfig}).
 * Reaching a cap sends one notice and stops that kind of validation, as lockdep's
 * MAX_LOCKDEP_* messages do. Violations are deduplicated by rule, lock classes and site. In fail
 * mode each violation (first or repeated) throws {@link LockdepViolationError} from the event
 * call, before the state changes. An internal error is reported once and the engine switches
 * itself off rather than disturb the application.
 */
public final class Lockdep implements RunningAgent {

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

    /** Failure reason: the acquisition did not happen (trylock timeout, interrupt, exception). */
    public static final int FAILED = 0;
    /** Failure reason: the ww lock returned -EDEADLK; its context must back off. */
    public static final int FAILED_WW_DEADLOCK = 1;

    private final LockdepConfig config;
    private final ViolationSink sink;

    private final ConcurrentHashMap<Object, LockClass> classesByKey = new ConcurrentHashMap<>();
    private final AtomicInteger nextClassId = new AtomicInteger();

    /** Guards the graph (edges, BFS marks, topological order), the chain cache's writer side, instance order. */
    private final Object graphLock = new Object();
    private final List<LockClass> classes = new ArrayList<>();
    private final ChainCache chains;
    private final InstanceOrder instances = new InstanceOrder();
    private final TopoOrder order = new TopoOrder();
    private int edgeCount;
    private long edgeSequence;
    private int bfsGeneration;
    private volatile boolean graphFull;
    private volatile boolean instancesFull;
    private volatile boolean chainsFull;
    private volatile boolean depthNoticed;
    /**
     * Dependencies judged to close a cycle (reported, not added to the graph, which stays acyclic
     * for the search): kept for the report's graph, keyed {@code from.id << 32 | to.id}. Graph lock.
     */
    private final Map<Long, Edge> closing = new java.util.HashMap<>();
    private final StackStore stacks;
    private final StackTraces traces;
    private volatile boolean stacksNoticed;

    private final ConcurrentHashMap<String, Violation> reported = new ConcurrentHashMap<>();
    private final List<Violation> violations = new CopyOnWriteArrayList<>();
    private final Set<String> notices = ConcurrentHashMap.newKeySet();
    /** Violations and notices raised under the graph lock, sent once it is released. */
    private final ConcurrentLinkedQueue<Object> outbox = new ConcurrentLinkedQueue<>();
    private final Set<ThreadState> threads = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<ThreadState> current;
    private volatile boolean disabled;

    public Lockdep(LockdepConfig config, ViolationSink sink) {
        this.config = Objects.requireNonNull(config, "config");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.chains = new ChainCache(config.maxChains());
        this.stacks = new StackStore(config.maxStackDepth(), config.maxStackEntries());
        this.traces = new StackTraces(config.skippedFrames());
        this.current = ThreadLocal.withInitial(this::newThreadState);
    }

    private ThreadState newThreadState() {
        ThreadState ts = new ThreadState(Thread.currentThread(), 16);
        threads.add(ts);
        return ts;
    }

    public LockdepConfig config() {
        return config;
    }

    // =====================================================================================
    // Lock classes

    /**
     * The class for {@code key}, created on first use. Returns null once {@link
     * LockdepConfig#maxClasses()} classes exist (events with a null class are ignored).
     */
    /** As {@link #lockClass(Object, String, LockClass.Kind)}, for a lock of the JDK's own internals. */
    public LockClass internalLockClass(Object key, String name, LockClass.Kind kind) {
        LockClass c = lockClass(key, name, kind);
        if (c != null && !c.internal) {
            c.internal = true;
        }
        return c;
    }

    public LockClass lockClass(Object key, String name, LockClass.Kind kind) {
        LockClass cls = classesByKey.get(key);
        if (cls != null) {
            return cls;
        }
        synchronized (graphLock) {
            cls = classesByKey.get(key);
            if (cls != null) {
                return cls;
            }
            if (classes.size() < config.maxClasses()) {
                int id = nextClassId.incrementAndGet();
                cls = new LockClass(id, Objects.requireNonNull(name, "name"), Objects.requireNonNull(kind, "kind"), mix(id));
                cls.key(key);
                classes.add(cls);
                order.add(cls);
                classesByKey.put(key, cls);
                return cls;
            }
        }
        notice("MAX_LOCKDEP_KEYS too low: " + config.maxClasses()
                + " lock classes exist; locks of new classes are no longer tracked");
        return null;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** {@code iterate_chain_key}: folds one held lock into the chain key. */
    private static long fold(long key, LockClass cls, int read, boolean trylock) {
        long id = cls.chainHash ^ ((long) read << 1 | (trylock ? 1 : 0));
        return mix(key * 31 + id);
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
        ThreadState ts = lock == null || cls == null ? null : begin();
        if (ts == null) {
            return;
        }
        try {
            doAcquire(ts, lock, cls, read, flags, wwCtx, site);
        } catch (RuntimeException e) {
            internalError(e);
        } finally {
            ts.busy = false;
        }
    }

    /** The pending acquisition of {@code lock} succeeded. */
    public void acquired(Object lock) {
        if (disabled || lock == null) {
            return;
        }
        ThreadState ts = current.get();
        if (ts.busy) {
            return;
        }
        for (int i = ts.depth - 1; i >= 0; i--) {
            HeldLock h = ts.held[i];
            if (h.instance == lock && h.pending) {
                h.pending = false;
                countWwAcquired(ts, h, lock);
                return;
            }
        }
    }

    /**
     * The pending acquisition of {@code lock} did not happen (a failed trylock with timeout,
     * an interrupt, EDEADLK, an exception). With {@link #FAILED_WW_DEADLOCK} the context records
     * {@code lock} as contended. A failure without a pending acquisition (EALREADY, or an
     * acquisition the engine chose not to track) changes nothing.
     */
    public void failed(Object lock, Object wwCtx, int reason) {
        if (disabled || lock == null) {
            return;
        }
        ThreadState ts = current.get();
        if (ts.busy) {
            return;
        }
        boolean found = false;
        for (int i = ts.depth - 1; i >= 0; i--) {
            HeldLock h = ts.held[i];
            if (h.instance == lock && h.pending) {
                remove(ts, i);
                found = true;
                break;
            }
        }
        if (!found && ts.untracked > 0 && ts.depth >= config.maxDepth()) {
            ts.untracked--; // an acquisition past MAX_LOCK_DEPTH that did not happen
        }
        if (reason == FAILED_WW_DEADLOCK && wwCtx != null) {
            WwContextState st = ts.context(wwCtx);
            if (st != null) {
                st.contending = lock;
            }
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
            doRelease(ts, lock, cls, read);
        } catch (RuntimeException e) {
            internalError(e);
        } finally {
            ts.busy = false;
        }
    }

    /**
     * The re-entry guard of the events that run engine code: the calling thread's state, marked
     * busy, or null when the engine is off or this thread is already inside it (an event raised by
     * the engine's own work, e.g. a lock taken while building a report). The caller clears
     * {@code busy} in a finally block and turns a RuntimeException into {@link #internalError}.
     */
    private ThreadState begin() {
        if (disabled) {
            return null;
        }
        ThreadState ts = current.get();
        if (ts.busy) {
            return null;
        }
        ts.busy = true;
        return ts;
    }

    private void doAcquire(ThreadState ts, Object lock, LockClass cls, int read, int flags, Object ctx, Object site) {
        boolean trylock = (flags & TRYLOCK) != 0;
        boolean reentrant = (flags & REENTRANT) != 0;

        // A specification scope that forbids taking this very lock (a callback invoked locked).
        if (!trylock) {
            ThreadState.ApiFrame forbidding = forbiddingScope(ts, lock);
            if (forbidding != null) {
                reportAcquireInsideScope(ts, forbidding, lock, cls, read, site);
                return;
            }
        }

        // The same instance already held by this thread: re-entry, EALREADY, recursion.
        for (int i = ts.depth - 1; i >= 0; i--) {
            HeldLock h = ts.held[i];
            if (h.instance != lock || h.pending) {
                continue;
            }
            boolean heldShared = h.read != WRITE;
            boolean wantShared = read != WRITE;
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
            if (read == RECURSIVE_READ && heldShared) {
                break; // recursive read after read
            }
            reportRecursion(ts, h, lock, cls, read, site);
            if (heldShared == wantShared) {
                // warn mode goes on: if the second acquisition succeeds (a StampedLock read with no
                // writer queued), its release must balance
                h.holds++;
            }
            return;
        }

        if (cls.kind() == LockClass.Kind.WW_MUTEX) {
            checkWw(ts, lock, cls, ctx, trylock, (flags & WW_SLOW) != 0, site);
        } else if (!trylock && config.sameClassNesting() == LockdepConfig.SameClassNesting.REPORT) {
            // check_deadlock: another instance of the class held, no nest lock, not read-after-read.
            for (int i = ts.depth - 1; i >= 0; i--) {
                HeldLock h = ts.held[i];
                if (h.cls == cls && !h.pending && (ctx == null || h.nest != ctx)
                        && !(read == RECURSIVE_READ && h.read != WRITE)) {
                    reportRecursion(ts, h, lock, cls, read, site);
                    return;
                }
            }
        }

        if (!ts.ensureRoom(config.maxDepth())) {
            // Past the cap the acquisition is counted, not tracked: its release balances the count
            // (nothing false is reported), and tracking resumes once the thread is below the cap.
            ts.untracked++;
            if (!depthNoticed) {
                depthNoticed = true;
                notice("MAX_LOCK_DEPTH too low: a thread (first: " + ts.thread.getName() + ") holds " + config.maxDepth()
                        + " locks; the locks a thread takes beyond that are not validated until it is below the cap again");
            }
            return;
        }

        long key = nextKey(ts, cls, read, trylock, ctx);
        StackTraceElement[] stack = null;
        if (!trylock && (!knownChain(ts, key) || sameClassHeld(ts, lock, cls, ctx))) {
            if (resyncMonitors(ts)) {
                key = nextKey(ts, cls, read, trylock, ctx);
            }
            stack = validate(ts, lock, cls, read, ctx, key, site);
        }

        HeldLock h = ts.held[ts.depth];
        h.instance = lock;
        h.cls = cls;
        h.read = read;
        h.trylock = trylock;
        h.pending = !trylock;
        h.holds = 1;
        h.nest = ctx;
        h.chainKey = key;
        h.stack = stack;
        h.site = site;
        h.seq = ++ts.acquireCount;
        ts.chainKey = key;
        ts.depth++;
        if (trylock) {
            countWwAcquired(ts, h, lock);
        }
    }

    /** The chain key with {@code cls} pushed (locks of one ww class under one context count once). */
    private static long nextKey(ThreadState ts, LockClass cls, int read, boolean trylock, Object ctx) {
        HeldLock top = ts.depth > 0 ? ts.held[ts.depth - 1] : null;
        boolean nestMerged = ctx != null && top != null && top.cls == cls && top.nest == ctx;
        return nestMerged ? ts.chainKey : fold(ts.chainKey, cls, read, trylock);
    }

    /** Whether the chain {@code key} was validated: the thread's own small cache first, then the shared one. */
    private boolean knownChain(ThreadState ts, long key) {
        if (ts.knowsChain(key)) {
            return true;
        }
        if (chains.contains(key)) {
            ts.rememberChain(key);
            return true;
        }
        return false;
    }

    private void countWwAcquired(ThreadState ts, HeldLock h, Object lock) {
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
     * Whether held entry {@code h} is another instance of {@code cls}, acquired, and not nested
     * with {@code lock} under the ww acquire context {@code ctx} (the kernel's nest_lock): the
     * same-class pairs the instance order, the ww nesting check and the chain shortcut look at.
     */
    private static boolean otherOfSameClass(HeldLock h, Object lock, LockClass cls, Object ctx) {
        return h.cls == cls && h.instance != lock && !h.pending && (ctx == null || h.nest != ctx);
    }

    private boolean sameClassHeld(ThreadState ts, Object lock, LockClass cls, Object ctx) {
        for (int i = 0; i < ts.depth; i++) {
            HeldLock h = ts.held[i];
            if (otherOfSameClass(h, lock, cls, ctx)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The slow path: same-class instance order, then check_prevs_add and cycle search. The stack
     * is captured only when something is recorded or reported (a new dependency, a new instance
     * order, a violation), as the kernel saves a trace only in check_prev_add; it becomes the held
     * entry's stack, for later dependencies from it and for "locks held" lists.
     */
    private StackTraceElement[] validate(ThreadState ts, Object lock, LockClass cls, int read, Object ctx, long key, Object site) {
        ts.slowStack = null;
        try {
            validateLocked(ts, lock, cls, read, ctx, key, site);
        } finally {
            drainOutbox();
        }
        StackTraceElement[] stack = ts.slowStack;
        ts.slowStack = null;
        Violation failure = ts.pendingFailure;
        if (failure != null) {
            ts.pendingFailure = null;
            throw new LockdepViolationError(failure);
        }
        return stack;
    }

    /** The stack of the acquisition being validated, captured on first need (bounded, shared). */
    private StackTraceElement[] slowStack(ThreadState ts) {
        StackTraceElement[] stack = ts.slowStack;
        if (stack == null) {
            stack = captureStack();
            ts.slowStack = stack;
        }
        return stack;
    }

    /** The calling thread's stack as the engine keeps it: at most maxStackDepth frames, frames and traces shared. */
    private StackTraceElement[] captureStack() {
        StackTraceElement[] kept = stacks.keep(traces.capture(stacks.maxDepth() + 1));
        if (!stacksNoticed && stacks.exhausted()) {
            stacksNoticed = true;
            notice("MAX_STACK_TRACE_ENTRIES too low: " + config.maxStackEntries()
                    + " stack frames kept; stacks recorded from now on keep only their first frame");
        }
        return kept;
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
    private static boolean resyncMonitors(ThreadState ts) {
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

    private void validateLocked(ThreadState ts, Object lock, LockClass cls, int read, Object ctx, long key, Object site) {
        boolean instanceCycle = false;
        synchronized (graphLock) {
            // Same-class nesting without a common nest context: order the instances.
            for (int i = 0; i < ts.depth; i++) {
                HeldLock h = ts.held[i];
                if (!otherOfSameClass(h, lock, cls, ctx)) {
                    continue;
                }
                if (cls.kind() == LockClass.Kind.WW_MUTEX && ctx == null) {
                    continue; // reported as ww/nest-without-context
                }
                if (read == RECURSIVE_READ && h.read != WRITE) {
                    continue;
                }
                if (instances.hasEdge(h.instance, lock)) {
                    continue;
                }
                List<InstanceOrder.Link> path = instances.path(lock, h.instance);
                if (path != null) {
                    reportInstanceCycle(ts, h, lock, cls, read, path, slowStack(ts), site);
                    instanceCycle = true;
                    continue;
                }
                if (!instancesFull && !instances.add(h.instance, lock, ts.thread.getName(), slowStack(ts),
                        config.maxInstanceEdges())) {
                    instancesFull = true;
                    notice("MAX instance-order entries too low: " + config.maxInstanceEdges()
                            + " same-class instance pairs recorded; new same-class nesting is no longer validated");
                }
            }

            if (graphFull || ts.pendingFailure != null) {
                return; // fail mode: the acquisition will not happen, so nothing of it is recorded
            }
            boolean cycle = false;
            for (int i = ts.depth - 1; i >= 0; i--) {
                HeldLock prev = ts.held[i];
                if (prev.pending) {
                    continue;
                }
                if (prev.cls != cls) {
                    Edge e = prev.cls.edgeTo(cls);
                    int bit = Edge.depBit(prev.read, read);
                    HeldLock[] below = heldBelow(ts, i);
                    Object[] gateInstances = instances(below);
                    if (e == null || (e.dep & bit) == 0) {
                        // check_prev_add: check_noncircular runs before the existing-edge lookup, so a
                        // known dependency of a new kind (e.g. write after recursive read) is checked too.
                        List<Edge> path = order.unreachable(cls, prev.cls) ? null
                                : strongPath(cls, read, prev.cls, prev.read);
                        // a cycle every way round which one lock held here serialises is no deadlock:
                        // the dependency is recorded like any other
                        boolean gated = path != null && config.gateLocks() && gatedCycle(gateInstances, cls, prev.cls);
                        if (path != null && !gated) {
                            cycle = true;
                            keepClosing(ts, prev, cls, bit);
                            if (!internalOnly(prev.cls, cls, path)) { // the JDK's own locks among themselves are its concern
                                reportCycle(ts, prev, lock, cls, read, path, slowStack(ts), site, below);
                            }
                        } else if (e != null) {
                            e.dep |= bit;
                            e.narrowGates(gateInstances);
                        } else if (edgeCount >= config.maxEdges()) {
                            graphFull = true;
                            notice("MAX_LOCKDEP_ENTRIES too low: " + config.maxEdges()
                                    + " dependencies recorded; new dependencies are no longer validated");
                            return;
                        } else {
                            StackTraceElement[] fromStack = prev.stack;
                            Edge added = new Edge(prev.cls, cls, bit, ts.thread.getName(), slowStack(ts), fromStack,
                                    ++edgeSequence);
                            added.setGates(gateInstances);
                            prev.cls.addEdge(added);
                            order.added(prev.cls, cls);
                            edgeCount++;
                        }
                    } else if (e.narrowGates(gateInstances) && config.gateLocks()) {
                        // taken now without a lock that guarded it before: a cycle it was gated in may be open
                        List<Edge> path = strongPath(cls, read, prev.cls, prev.read);
                        if (path != null && !gatedCycle(gateInstances, cls, prev.cls)) {
                            cycle = true;
                            reportCycle(ts, prev, lock, cls, read, path, slowStack(ts), site, below);
                        }
                    }
                }
                if (!prev.trylock) {
                    break;
                }
            }
            if (ts.pendingFailure != null) {
                return; // not cached: the same chain must fail again next time
            }
            if (cycle || instanceCycle) {
                return; // not cached: each new run of the bad pattern is seen (as a repeat)
            }
            if (!chains.add(key) && !chainsFull) {
                chainsFull = true;
                notice("MAX_LOCKDEP_CHAINS too low: " + config.maxChains() + " lock chains cached; chains beyond it are"
                        + " not cached but validated on the slow path each time they are new to a thread (slower; nothing"
                        + " is left unchecked)");
            }
            ts.rememberChain(key);
        }
    }

    /**
     * Keeps a dependency judged to close a cycle, for the report's graph (it is not added to the
     * searched graph). Graph lock held.
     */
    private void keepClosing(ThreadState ts, HeldLock prev, LockClass cls, int bit) {
        long id = (long) prev.cls.id << 32 | (cls.id & 0xFFFFFFFFL);
        Edge known = closing.get(id);
        if (known != null) {
            known.dep |= bit;
        } else if (closing.size() < config.maxEdges()) {
            Edge e = new Edge(prev.cls, cls, bit, ts.thread.getName(), slowStack(ts), prev.stack, ++edgeSequence);
            e.closesCycle = true;
            closing.put(id, e);
        }
    }

    /** Whether every class of the cycle {@code prev -> next ->* prev} is one of the JDK's internal locks. */
    private static boolean internalOnly(LockClass prev, LockClass next, List<Edge> path) {
        if (!prev.internal || !next.internal) {
            return false;
        }
        for (Edge e : path) {
            if (!e.to.internal) {
                return false;
            }
        }
        return true;
    }

    /**
     * Gate-lock candidates below position {@code top}: the locks held exclusively (a shared
     * hold serialises nothing), other than ww acquire contexts (pseudo-locks, one per thread).
     */
    private static HeldLock[] heldBelow(ThreadState ts, int top) {
        int n = 0;
        HeldLock[] out = null;
        for (int j = 0; j < top; j++) {
            HeldLock h = ts.held[j];
            if (h.pending || h.read != WRITE || h.cls.kind() == LockClass.Kind.WW_ACQUIRE) {
                continue;
            }
            if (out == null) {
                out = new HeldLock[top];
            }
            out[n++] = h;
        }
        return n == 0 ? NO_HELD : Arrays.copyOf(out, n);
    }

    private static final HeldLock[] NO_HELD = new HeldLock[0];
    private static final Object[] NO_INSTANCES = new Object[0];

    private static Object[] instances(HeldLock[] held) {
        if (held.length == 0) {
            return NO_INSTANCES;
        }
        Object[] out = new Object[held.length];
        for (int i = 0; i < held.length; i++) {
            out[i] = held[i].instance;
        }
        return out;
    }

    /**
     * Whether every path {@code from ->* to} (which, with the new dependency taken under
     * {@code gates}, closes a cycle) keeps one of {@code gates} held on each of its dependencies,
     * so a single gate lock serialises the whole cycle. A breadth-first search over (class, which
     * gates some dependency so far was taken without): a path that has escaped every gate makes the
     * cycle a real one. At most 16 gates are considered. Graph lock held.
     */
    private boolean gatedCycle(Object[] gates, LockClass from, LockClass to) {
        int k = Math.min(gates.length, 16);
        if (k == 0) {
            return false;
        }
        int full = (1 << k) - 1;
        java.util.HashMap<LockClass, List<Integer>> seen = new java.util.HashMap<>();
        ArrayList<LockClass> nodes = new ArrayList<>();
        ArrayList<Integer> masks = new ArrayList<>();
        nodes.add(from);
        masks.add(0);
        seen.computeIfAbsent(from, c -> new ArrayList<>()).add(0);
        for (int head = 0; head < nodes.size(); head++) {
            LockClass cur = nodes.get(head);
            int mask = masks.get(head);
            for (int i = 0; i < cur.outCount; i++) {
                Edge e = cur.out[i];
                int m = mask;
                for (int j = 0; j < k; j++) {
                    if (!e.gatedBy(gates[j])) {
                        m |= 1 << j;
                    }
                }
                if (e.to == to && m == full) {
                    return false; // a way back that no single gate covers
                }
                // a visit is useless if an earlier one escaped every gate this one escaped
                List<Integer> known = seen.computeIfAbsent(e.to, c -> new ArrayList<>());
                boolean dominated = false;
                for (int old : known) {
                    dominated |= (old | m) == old;
                }
                if (!dominated) {
                    known.add(m);
                    nodes.add(e.to);
                    masks.add(m);
                }
            }
        }
        return true;
    }

    /**
     * {@code check_noncircular}: a strong path {@code from ->* target} that, closed by the new edge
     * {@code target -> from}, is a deadlock (the kernel's {@code hlock_conflict}); null if none.
     * Graph lock held.
     */
    private List<Edge> strongPath(LockClass from, int fromRead, LockClass target, int targetRead) {
        int generation = ++bfsGeneration;
        ArrayList<LockClass> nodes = new ArrayList<>();
        ArrayList<Edge> via = new ArrayList<>();
        int[] parent = new int[16];
        boolean[] onlyXr = new boolean[16];
        nodes.add(from);
        via.add(null);
        parent[0] = -1;
        onlyXr[0] = fromRead == RECURSIVE_READ;
        from.bfsGeneration = generation;
        for (int head = 0; head < nodes.size(); head++) {
            LockClass cur = nodes.get(head);
            boolean curOnlyXr = onlyXr[head];
            for (int k = 0; k < cur.outCount; k++) {
                Edge e = cur.out[k];
                int dep = e.dep;
                if (curOnlyXr) {
                    dep &= ~Edge.DEP_S_MASK; // -(*R)-> then -(S*)-> is not a strong path
                }
                if (dep == 0) {
                    continue;
                }
                boolean childOnlyXr = (dep & Edge.DEP_N_MASK) == 0;
                LockClass next = e.to;
                if (next == target && (targetRead == WRITE || !childOnlyXr)) {
                    ArrayList<Edge> path = new ArrayList<>();
                    path.add(e);
                    for (int n = head; parent[n] >= 0; n = parent[n]) {
                        path.add(0, via.get(n));
                    }
                    return path;
                }
                if (order.beyond(next, target)) {
                    continue; // placed after the target in the topological order: cannot lead back to it
                }
                // A class reached through a non-recursive path needs no second visit; one reached
                // only through -(*R)-> may be revisited through a stronger path.
                int mark = childOnlyXr ? -generation : generation;
                if (next.bfsGeneration == generation || next.bfsGeneration == mark) {
                    continue;
                }
                next.bfsGeneration = mark;
                int idx = nodes.size();
                if (idx == parent.length) {
                    parent = Arrays.copyOf(parent, idx * 2);
                    onlyXr = Arrays.copyOf(onlyXr, idx * 2);
                }
                nodes.add(next);
                via.add(e);
                parent[idx] = head;
                onlyXr[idx] = childOnlyXr;
            }
        }
        return null;
    }

    /**
     * The fast path of a release, for instrumentation that must look the lock's class up only
     * when it is needed: releases {@code lock} if the thread holds it and returns true; returns
     * false, and reports nothing, when it does not (call {@link #release} then, with the class).
     */
    public boolean releaseIfHeld(Object lock, int read) {
        if (disabled || lock == null) {
            return true;
        }
        ThreadState ts = current.get();
        if (ts.busy) {
            return true;
        }
        int idx = ts.indexOfHeld(lock);
        if (idx < 0) {
            return false;
        }
        ts.busy = true;
        try {
            doRelease(ts, lock, ts.held[idx].cls, read);
        } catch (RuntimeException e) {
            internalError(e); // like every other event: an internal error never reaches the application
        } finally {
            ts.busy = false;
        }
        return true;
    }

    /** The mode the calling thread holds {@code lock} in ({@link #WRITE}, {@link #READ}...), or -1. */
    public int heldMode(Object lock) {
        if (disabled || lock == null) {
            return -1;
        }
        ThreadState ts = current.get();
        int idx = ts.indexOfHeld(lock);
        return idx < 0 ? -1 : ts.held[idx].read;
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
        if (disabled || lock == null) {
            return 0;
        }
        ThreadState ts = current.get();
        if (ts.busy) {
            return 0;
        }
        int idx = ts.indexOfHeld(lock);
        if (idx < 0) {
            return 0;
        }
        int holds = ts.held[idx].holds;
        remove(ts, idx);
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

    private void doRelease(ThreadState ts, Object lock, LockClass cls, int read) {
        int idx = -1;
        boolean wantShared = read != WRITE;
        for (int i = ts.depth - 1; i >= 0; i--) {
            HeldLock h = ts.held[i];
            if (h.instance == lock && !h.pending && (h.read != WRITE) == wantShared) {
                idx = i;
                break;
            }
        }
        if (idx < 0) {
            idx = ts.indexOfHeld(lock);
        }
        if (idx < 0 && cls.kind() == LockClass.Kind.MONITOR && resyncMonitors(ts)) {
            idx = ts.indexOfHeld(lock); // an "acquired" event was lost: the JVM says it is held
        }
        if (idx < 0) {
            if (ts.untracked > 0) {
                ts.untracked--; // a lock taken past MAX_LOCK_DEPTH, never tracked
                return;
            }
            reportBadUnlock(ts, lock, cls, read);
            return;
        }
        HeldLock h = ts.held[idx];
        if (h.holds > 1) {
            h.holds--;
            return;
        }
        if (h.nest != null && h.cls.kind() == LockClass.Kind.WW_MUTEX) {
            WwContextState st = ts.context(h.nest);
            if (st != null && st.acquired > 0) {
                st.acquired--;
            }
        }
        remove(ts, idx);
    }

    /** Removes entry {@code idx} and recomputes the chain keys above it. */
    private static void remove(ThreadState ts, int idx) {
        HeldLock removed = ts.held[idx];
        System.arraycopy(ts.held, idx + 1, ts.held, idx, ts.depth - idx - 1);
        ts.held[ts.depth - 1] = removed;
        removed.clear();
        ts.depth--;
        long key = idx > 0 ? ts.held[idx - 1].chainKey : 0;
        for (int i = idx; i < ts.depth; i++) {
            HeldLock h = ts.held[i];
            HeldLock below = i > 0 ? ts.held[i - 1] : null;
            boolean merged = h.nest != null && below != null && below.cls == h.cls && below.nest == h.nest;
            key = merged ? key : fold(key, h.cls, h.read, h.trylock);
            h.chainKey = key;
        }
        ts.chainKey = ts.depth > 0 ? ts.held[ts.depth - 1].chainKey : 0;
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
            for (int i = 0; i < ts.contextCount; i++) {
                WwContextState other = ts.contexts[i];
                if (other.acquireClass == acquireClass && !other.finished) {
                    reportSimple(ts, Rules.WW_TWO_CONTEXTS, "possible recursive locking detected",
                            ts.thread.getName() + " initialises a second " + acquireClass.name()
                                    + " context while one is still active",
                            "Use one acquire context per transaction: ww_acquire_fini() the first before ww_acquire_init() of the next.",
                            lockInfo(ctx, acquireClass, WRITE, null, site), List.of(acquireClass));
                    break;
                }
            }
            WwContextState st = ts.spare != null ? ts.spare.reset(ctx, acquireClass, mutexClass)
                    : new WwContextState(ctx, ts, acquireClass, mutexClass);
            ts.spare = null;
            ts.addContext(st);
            doAcquire(ts, ctx, acquireClass, WRITE, 0, null, site);
            for (int i = ts.depth - 1; i >= 0; i--) {
                if (ts.held[i].instance == ctx) {
                    ts.held[i].pending = false;
                    break;
                }
            }
        } catch (RuntimeException e) {
            internalError(e);
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
            WwContextState st = lookupContext(ts, ctx);
            if (st == null) {
                return;
            }
            String fn = fini ? "ww_acquire_fini" : "ww_acquire_done";
            if (st.owner != ts) {
                reportSimple(ts, Rules.WW_CONTEXT_WRONG_THREAD, "ww acquire context used by another thread",
                        ts.thread.getName() + " calls " + fn + " on a context of " + st.owner.thread.getName(),
                        "Keep each acquire context on the thread that called ww_acquire_init().",
                        new LockInfoSource(ctx, st.acquireClass, site).info(), List.of(st.acquireClass));
                return;
            }
            if (!fini) {
                if (st.done || st.finished) {
                    reportSimple(ts, Rules.WW_DONE_TWICE, "ww_acquire_done() called twice",
                            ts.thread.getName() + " calls ww_acquire_done on a context that is already "
                                    + (st.finished ? "finished" : "done"),
                            "Call ww_acquire_done() once, after the last lock of the acquire phase.",
                            new LockInfoSource(ctx, st.acquireClass, site).info(), List.of(st.acquireClass));
                }
                st.done = true;
                return;
            }
            if (st.finished) {
                reportSimple(ts, Rules.WW_FINI_TWICE, "ww_acquire_fini() called twice",
                        ts.thread.getName() + " calls ww_acquire_fini on a context that is already finished",
                        "Call ww_acquire_fini() once per ww_acquire_init().", new LockInfoSource(ctx, st.acquireClass, site).info(), List.of(st.acquireClass));
                return;
            }
            if (st.acquired > 0) {
                reportSimple(ts, Rules.WW_FINI_WITH_LOCKS_HELD, "ww_acquire_fini() with locks held",
                        ts.thread.getName() + " ends a " + st.acquireClass.name() + " context that still holds "
                                + st.acquired + " " + st.mutexClass.name() + " lock(s)",
                        "Unlock every ww_mutex taken under the context before ww_acquire_fini().",
                        new LockInfoSource(ctx, st.acquireClass, site).info(), List.of(st.acquireClass, st.mutexClass));
            }
            st.finished = true;
            st.done = true;
            int idx = ts.indexOfHeld(ctx);
            if (idx >= 0) {
                remove(ts, idx);
            }
            ts.removeContext(st);
            ts.retire(st);
        } catch (RuntimeException e) {
            internalError(e);
        } finally {
            ts.busy = false;
        }
    }

    /**
     * The state of {@code ctx}: the thread's own contexts first (the common case, no shared
     * state); then, for a context used by the wrong thread or after its fini (error paths only),
     * the other threads' active and recently finished contexts, read without their owners
     * stopping (a stale read can only miss a report, never invent one).
     */
    private WwContextState lookupContext(ThreadState ts, Object ctx) {
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

    /** The kernel's ww debug checks for one ww_mutex acquisition. */
    private void checkWw(ThreadState ts, Object lock, LockClass cls, Object ctx, boolean trylock, boolean slow, Object site) {
        if (ctx == null) {
            if (trylock) {
                return; // a trylock cannot deadlock: no nesting check, as validate_chain skips trylocks
            }
            for (int i = 0; i < ts.depth; i++) {
                HeldLock h = ts.held[i];
                if (otherOfSameClass(h, lock, cls, null)) {
                    reportSimple(ts, Rules.WW_NEST_WITHOUT_CONTEXT, "possible recursive locking detected",
                            ts.thread.getName() + " takes a second " + cls.name() + " ("
                                    + config.instanceNamer().apply(lock) + ") without an acquire context while holding "
                                    + config.instanceNamer().apply(h.instance),
                            "Lock several ww_mutexes of one class under one ww_acquire_ctx (or drm_exec), never nested plainly.",
                            lockInfo(lock, cls, WRITE, null, site), List.of(cls));
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
            what = ts.thread.getName() + " locks " + cls.name() + " under a context of " + st.owner.thread.getName();
            fix = "Keep each acquire context on the thread that called ww_acquire_init().";
        } else if (st.mutexClass != cls) {
            rule = Rules.WW_CLASS_MISMATCH;
            what = ts.thread.getName() + " locks a " + cls.name() + " under a context of " + st.acquireClass.name();
            fix = "Use an acquire context of the lock's own ww class.";
        } else if (st.finished || st.done) {
            rule = Rules.WW_LOCK_AFTER_DONE;
            what = ts.thread.getName() + " locks " + cls.name() + " after ww_acquire_" + (st.finished ? "fini" : "done");
            fix = "Acquire every lock of the transaction before ww_acquire_done(); start a new context for more.";
        } else if (st.contending != null && st.acquired > 0) {
            rule = Rules.WW_LOCK_AFTER_EDEADLK;
            what = ts.thread.getName() + " locks " + config.instanceNamer().apply(lock) + " after -EDEADLK on "
                    + config.instanceNamer().apply(st.contending) + " while still holding " + st.acquired + " lock(s)";
            fix = "On -EDEADLK unlock every lock of the context, then ww_mutex_lock_slow() the contended lock.";
        } else if (st.contending != null && st.contending != lock) {
            rule = Rules.WW_SLOW_WRONG_LOCK;
            what = ts.thread.getName() + " takes " + config.instanceNamer().apply(lock) + " after backing off, but "
                    + config.instanceNamer().apply(st.contending) + " was the contended lock";
            fix = "After backing off, ww_mutex_lock_slow() the lock that returned -EDEADLK first.";
        } else if (slow && st.contending == null) {
            rule = Rules.WW_SLOW_WITHOUT_CONTENTION;
            what = ts.thread.getName() + " calls ww_mutex_lock_slow on " + config.instanceNamer().apply(lock)
                    + " without a preceding -EDEADLK";
            fix = "Use ww_mutex_lock(); lock_slow is only for the contended lock after -EDEADLK.";
        }
        if (rule != null) {
            reportSimple(ts, rule, "ww_mutex misuse detected", what, fix, lockInfo(lock, cls, WRITE, null, site),
                    List.of(cls, st.acquireClass));
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
            boolean enclosingViolated = false;
            for (int i = 0; i < ts.scopeDepth; i++) {
                ThreadState.ApiFrame f = ts.scopes[i];
                enclosingViolated |= f.violated && !f.rule.isCallback();
            }
            ThreadState.ApiFrame frame = ts.pushScope();
            frame.rule = rule;
            frame.lock = lock;
            frame.violated = false;
            if (lock == null) {
                return;
            }
            boolean held = ts.indexOfHeld(lock) >= 0;
            boolean violated;
            switch (rule.kind()) {
                case MUST_HOLD:
                    violated = !held;
                    break;
                case MUST_NOT_HOLD:
                    violated = held;
                    break;
                case CALLBACK_LOCKED:
                    violated = !held && !enclosingViolated;
                    break;
                case CALLBACK_UNLOCKED:
                    violated = held && !enclosingViolated;
                    break;
                default:
                    violated = false;
            }
            if (violated) {
                frame.violated = true;
                try {
                    reportApi(ts, rule, lock, held, site);
                } catch (LockdepViolationError e) {
                    ts.scopeDepth--; // the function will not run: no exit event follows
                    frame.rule = null;
                    frame.lock = null;
                    throw e;
                }
            }
        } catch (RuntimeException e) {
            internalError(e);
        } finally {
            ts.busy = false;
        }
    }

    /** Exit from the scope {@link #enter} opened for {@code rule} (normal or exceptional). */
    public void exit(ApiRule rule) {
        if (disabled || rule == null) {
            return;
        }
        ThreadState ts = current.get();
        if (ts.busy) {
            return;
        }
        for (int i = ts.scopeDepth - 1; i >= 0; i--) {
            if (ts.scopes[i].rule == rule) {
                for (int j = ts.scopeDepth - 1; j >= i; j--) {
                    ts.scopes[j].rule = null;
                    ts.scopes[j].lock = null;
                }
                ts.scopeDepth = i;
                return;
            }
        }
    }

    private static ThreadState.ApiFrame forbiddingScope(ThreadState ts, Object lock) {
        for (int i = ts.scopeDepth - 1; i >= 0; i--) {
            ThreadState.ApiFrame f = ts.scopes[i];
            if (f.lock == lock && (f.rule.kind() == ApiRule.Kind.CALLBACK_LOCKED
                    || f.rule.kind() == ApiRule.Kind.MUST_NOT_ACQUIRE_INSIDE)) {
                return f;
            }
        }
        return null;
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
            if (!disabled) {
                checkHeld(ts, "exits");
            }
        } catch (RuntimeException e) {
            internalError(e);
        } finally {
            ts.busy = false;
            forget(ts);
        }
    }

    private void forget(ThreadState ts) {
        threads.remove(ts);
        current.remove();
    }

    /**
     * An explicit check that the calling thread holds nothing (at the end of a test, say).
     *
     * @param where what is ending, for the report (e.g. a test name)
     * @return true when nothing is held
     */
    public boolean checkNothingHeld(String where) {
        ThreadState ts = begin();
        if (ts == null) {
            return true;
        }
        try {
            return checkHeld(ts, "reaches " + where);
        } catch (RuntimeException e) {
            internalError(e);
            return true;
        } finally {
            ts.busy = false;
        }
    }

    private boolean checkHeld(ThreadState ts, String event) {
        resyncMonitors(ts);
        int held = 0;
        List<LockClass> classesHeld = new ArrayList<>();
        for (int i = 0; i < ts.depth; i++) {
            if (!ts.held[i].pending && ts.held[i].cls.kind() != LockClass.Kind.SEMAPHORE) {
                held++;
                classesHeld.add(ts.held[i].cls);
            }
        }
        if (held == 0) {
            return true;
        }
        reportSimple(ts, Rules.HELD_LOCK_AT_EXIT, "lock held when returning to user space!",
                ts.thread.getName() + " " + event + " with " + held + " lock(s) still held",
                "Release every lock on every path (try/finally), including error paths.", null, classesHeld);
        return false;
    }

    // =====================================================================================
    // Queries

    /** Every violation reported so far, in order. */
    @Override
    public List<Violation> violations() {
        return Collections.unmodifiableList(violations);
    }

    /** The notices sent so far (limits reached, internal errors). */
    public Set<String> notices() {
        return Collections.unmodifiableSet(notices);
    }

    public int classCount() {
        synchronized (graphLock) {
            return classes.size();
        }
    }

    public int edgeCount() {
        synchronized (graphLock) {
            return edgeCount;
        }
    }

    public int chainCount() {
        synchronized (graphLock) {
            return chains.size();
        }
    }

    /** Whether the dependency {@code from -> to} is recorded. */
    public boolean hasDependency(LockClass from, LockClass to) {
        synchronized (graphLock) {
            return from.edgeTo(to) != null;
        }
    }

    /**
     * A copy of every dependency judged, in the order they were first seen: the graph's, and
     * those that closed a reported cycle ({@link Edge#closesCycle()}).
     */
    public List<Edge> dependencies() {
        List<Edge> all = new ArrayList<>();
        synchronized (graphLock) {
            for (LockClass c : classes) {
                for (int i = 0; i < c.outCount; i++) {
                    all.add(c.out[i]);
                }
            }
            all.addAll(closing.values());
        }
        all.sort((a, b) -> Long.compare(a.sequence, b.sequence));
        return all;
    }

    /** Every lock class, in creation order. */
    public List<LockClass> classes() {
        synchronized (graphLock) {
            return List.copyOf(classes);
        }
    }

    /** The locks the calling thread holds, bottom first (the kernel's lockdep_print_held_locks). */
    public List<Violation.LockInfo> heldLocks() {
        return heldInfos(current.get());
    }

    // =====================================================================================
    // Real deadlocks (DeadlockDetector)

    /** Every thread the engine tracks. */
    Set<ThreadState> threadStates() {
        return threads;
    }

    /** The recorded dependency {@code from -> to} (in the graph, or one that closed a reported cycle), or null. */
    Edge edgeBetween(LockClass from, LockClass to) {
        synchronized (graphLock) {
            Edge e = from.edgeTo(to);
            return e != null ? e : closing.get((long) from.id << 32 | (to.id & 0xFFFFFFFFL));
        }
    }

    /**
     * A deadlock the watchdog found: reported once, never thrown (the watchdog is not the
     * deadlocked thread), from the watchdog's thread.
     */
    void reportDeadlock(String message, ThreadState first) {
        Violation v = new Violation(Rules.DEADLOCK, "deadlock detected: threads wait for each other", message,
                Rules.citation(Rules.DEADLOCK), "Take these locks in one order everywhere (the dependency history shows"
                        + " where each order was taken), or acquire with a timeout and back off.",
                first.thread, null, heldInfos(first), List.of(), first.thread.getStackTrace());
        violations.add(v);
        deliver(v);
    }

    /** Whether the topological order still holds for every dependency (tests). */
    boolean orderConsistent() {
        synchronized (graphLock) {
            return order.consistent(classes);
        }
    }

    /** Whether the topological order is still in use (no cycle through recursive reads yet). */
    boolean orderValid() {
        synchronized (graphLock) {
            return order.isValid();
        }
    }

    /** Whether the engine switched itself off after an internal error. */
    public boolean isDisabled() {
        return disabled;
    }

    // =====================================================================================
    // Reporting

    private Violation.LockInfo lockInfo(Object lock, LockClass cls, int read, StackTraceElement[] at, Object site) {
        String mode = read == WRITE ? "write" : read == READ ? "read" : "recursive-read";
        return new Violation.LockInfo(cls.name(), lock == null ? "" : config.instanceNamer().apply(lock), mode, at,
                site == null ? null : String.valueOf(site));
    }

    private List<Violation.LockInfo> heldInfos(ThreadState ts) {
        List<Violation.LockInfo> out = new ArrayList<>();
        for (int i = 0; i < ts.depth; i++) {
            HeldLock h = ts.held[i];
            if (!h.pending) {
                out.add(lockInfo(h.instance, h.cls, h.read, h.stack, h.site));
            }
        }
        return out;
    }

    /** Holds what a lock info needs, to build it only when a report is really made. */
    private final class LockInfoSource {
        final Object lock;
        final LockClass cls;
        final Object site;

        LockInfoSource(Object lock, LockClass cls, Object site) {
            this.lock = lock;
            this.cls = cls;
            this.site = site;
        }

        Violation.LockInfo info() {
            return lockInfo(lock, cls, WRITE, null, site);
        }
    }

    /**
     * A cycle's identity for deduplication: the classes of the new dependency {@code prev -> next}
     * and of the path {@code next ->* prev} it closes, in cycle order, rotated to start at the
     * smallest class id (the same cycle found from another of its dependencies is the same
     * key). Ids, not names: two classes may share a name.
     */
    private static String cycleKey(LockClass prev, LockClass next, List<Edge> path) {
        int n = path.size() + 1;
        int[] ids = new int[n];
        ids[0] = prev.id;
        ids[1] = next.id;
        for (int i = 0; i < path.size() - 1; i++) {
            ids[i + 2] = path.get(i).to.id;
        }
        int start = 0;
        for (int i = 1; i < n; i++) {
            if (ids[i] < ids[start]) {
                start = i;
            }
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ">").append(ids[(start + i) % n]);
        }
        return b.toString();
    }

    /** The classes a violation is about, by id (names may collide across class loaders). */
    private static String classKey(List<LockClass> involved) {
        StringBuilder b = new StringBuilder();
        for (LockClass c : involved) {
            b.append(b.length() == 0 ? "" : ",").append(c.id);
        }
        return b.toString();
    }

    /** Deduplicates, records, delivers; throws in fail mode. */
    private void report(String dedupKey, Supplier<Violation> make) {
        Violation first = reported.get(dedupKey);
        if (first == null) {
            Violation v = make.get();
            first = reported.putIfAbsent(dedupKey, v);
            if (first == null) {
                violations.add(v);
                deliver(v);
                if (config.failFast()) {
                    fail(v);
                }
                return;
            }
        }
        deliver(new Repeat(first));
        if (config.failFast()) {
            fail(first);
        }
    }

    /** An outbox item: a violation delivered before, seen again. */
    private record Repeat(Violation first) {
    }

    /**
     * Fail mode: throw at the violating call. Under the graph lock the throw waits until the lock
     * is released ({@link #validate} rethrows it, before the thread's state changes).
     */
    private void fail(Violation v) {
        if (Thread.holdsLock(graphLock)) {
            ThreadState ts = current.get();
            if (ts.pendingFailure == null) {
                ts.pendingFailure = v;
            }
        } else {
            throw new LockdepViolationError(v);
        }
    }

    /**
     * Hands a violation or a notice to the sink — never under the graph lock: the sink logs and
     * writes files, which may take the application's locks (a logging framework's queue), and a
     * thread holding one of those may be waiting for the graph lock. Under the lock the item
     * waits in the outbox until a thread leaves the lock.
     */
    private void deliver(Object item) {
        if (Thread.holdsLock(graphLock)) {
            outbox.add(item);
            return;
        }
        send(item);
    }

    private void send(Object item) {
        try {
            if (item instanceof Violation) {
                sink.onViolation((Violation) item);
            } else if (item instanceof Repeat) {
                sink.onRepeat(((Repeat) item).first());
            } else {
                sink.onNotice((String) item);
            }
        } catch (RuntimeException e) {
            if (item instanceof Violation) {
                internalError(e);
            } // a sink failing on a notice must not take the application down
        }
    }

    /** Sends what waited in the outbox; called after leaving the graph lock. */
    private void drainOutbox() {
        Object item;
        while ((item = outbox.poll()) != null) {
            send(item);
        }
    }

    private void reportSimple(ThreadState ts, String rule, String title, String message, String fix,
            Violation.LockInfo acquiring, List<LockClass> involved) {
        String site = traces.site();
        report(rule + "|" + classKey(involved) + "|" + site, () -> new Violation(rule, title, message,
                Rules.citation(rule), fix, ts.thread, acquiring, heldInfos(ts), List.of(), captureStack()));
    }

    private void reportRecursion(ThreadState ts, HeldLock held, Object lock, LockClass cls, int read, Object site) {
        boolean sameInstance = held.instance == lock;
        boolean upgrade = sameInstance && held.read != WRITE && read == WRITE;
        String message = upgrade
                ? ts.thread.getName() + " holds " + config.instanceNamer().apply(lock) + " (" + cls.name()
                        + ") for reading and asks for it for writing: a read-to-write upgrade waits for itself"
                : sameInstance
                        ? ts.thread.getName() + " is trying to acquire " + config.instanceNamer().apply(lock) + " ("
                                + cls.name() + "), which it already holds"
                        : ts.thread.getName() + " is trying to acquire " + config.instanceNamer().apply(lock)
                                + " while holding " + config.instanceNamer().apply(held.instance) + ", both "
                                + cls.name() + ", without a nest context";
        String fix = upgrade
                ? "Release the read lock before taking the write lock (and re-check state), or take the write lock from the start."
                : "Do not take a lock the thread already holds: it is not re-entrant. Restructure so the inner code runs"
                        + " with the lock held instead of taking it again.";
        reportSimple(ts, Rules.RECURSIVE_LOCKING, "possible recursive locking detected", message, fix,
                lockInfo(lock, cls, read, null, site), List.of(cls));
    }

    private void reportAcquireInsideScope(ThreadState ts, ThreadState.ApiFrame scope, Object lock, LockClass cls,
            int read, Object site) {
        ApiRule rule = scope.rule;
        String message = ts.thread.getName() + " acquires " + rule.lockDescription() + " ("
                + config.instanceNamer().apply(lock) + ") inside " + rule.function()
                + (rule.kind() == ApiRule.Kind.CALLBACK_LOCKED ? ", which is invoked with it already held" : "");
        String site0 = traces.site();
        report(rule.id() + "|inside|" + rule.function() + "|" + site0, () -> new Violation(rule.id(),
                "locking convention violated: lock taken inside " + rule.function(), message,
                rule.citation() + " - \"" + rule.text() + "\"",
                "Do not take " + rule.lockDescription() + " in " + rule.function() + ": it "
                        + (rule.kind() == ApiRule.Kind.CALLBACK_LOCKED ? "is called with it held; use the lock the caller holds."
                                : "must not be acquired there."),
                ts.thread, lockInfo(lock, cls, read, null, site), heldInfos(ts), List.of(), captureStack()));
    }

    private void reportApi(ThreadState ts, ApiRule rule, Object lock, boolean held, Object site) {
        String lockName = config.instanceNamer().apply(lock);
        String message;
        String fix;
        switch (rule.kind()) {
            case MUST_HOLD:
                message = ts.thread.getName() + " calls " + rule.function() + " without holding " + rule.lockDescription()
                        + " (" + lockName + ")";
                fix = "Take " + rule.lockDescription() + " around the call (or use the _unlocked variant, which takes it).";
                break;
            case MUST_NOT_HOLD:
                message = ts.thread.getName() + " calls " + rule.function() + " while holding " + rule.lockDescription()
                        + " (" + lockName + ")" + (rule.id().startsWith(Rules.DMA_BUF_PREFIX)
                                ? ", which it takes itself or lets the exporter take" : ", which the rule forbids");
                fix = "Release " + rule.lockDescription() + " before the call, or use the locked variant inside the critical section.";
                break;
            case CALLBACK_LOCKED:
                message = rule.function() + " is invoked without " + rule.lockDescription() + " (" + lockName
                        + ") held, but the convention invokes it locked";
                fix = "Invoke " + rule.function() + " only through the core functions, which hold the lock.";
                break;
            default:
                message = rule.function() + " is invoked with " + rule.lockDescription() + " (" + lockName
                        + ") held, but the convention invokes it unlocked";
                fix = "Invoke " + rule.function() + " only through the core functions, with the lock released.";
        }
        String site0 = traces.site();
        String title = "locking convention violated: " + rule.function() + (held ? " with " : " without ")
                + rule.lockDescription() + " held";
        report(rule.id() + "|" + rule.function() + "|" + site0, () -> new Violation(rule.id(), title, message,
                rule.citation() + " - \"" + rule.text() + "\"", fix, ts.thread,
                new Violation.LockInfo(rule.lockDescription(), lockName, "write", null, site == null ? null : String.valueOf(site)),
                heldInfos(ts), List.of(), captureStack()));
    }

    private void reportBadUnlock(ThreadState ts, Object lock, LockClass cls, int read) {
        String holder = null;
        for (ThreadState other : threads) {
            if (other != ts && other.indexOfHeld(lock) >= 0) {
                holder = other.thread.getName();
                break;
            }
        }
        boolean ww = cls.kind() == LockClass.Kind.WW_MUTEX;
        String rule = ww ? Rules.WW_UNLOCK_NOT_HELD : Rules.BAD_UNLOCK_BALANCE;
        String message = ts.thread.getName() + " is trying to release " + config.instanceNamer().apply(lock) + " ("
                + cls.name() + ") but " + (holder != null ? "it is held by " + holder : "it holds no such lock");
        reportSimple(ts, rule, "bad unlock balance detected!", message,
                holder != null ? "Only the thread that took a lock may release it." : "Release each lock exactly once, after taking it.",
                lockInfo(lock, cls, read, null, null), List.of(cls));
    }

    private void reportCycle(ThreadState ts, HeldLock prev, Object lock, LockClass cls, int read, List<Edge> path,
            StackTraceElement[] stack, Object site, HeldLock[] gates) {
        StringBuilder through = new StringBuilder(cls.name());
        for (Edge e : path) {
            through.append(" -> ").append(e.to.name());
        }
        String message = ts.thread.getName() + " is trying to acquire " + cls.name() + " while holding " + prev.cls.name()
                + ", but " + cls.name() + " already depends on " + prev.cls.name() + " (" + through + ")"
                + gateNote(gates, path);
        report(Rules.CIRCULAR_DEPENDENCY + "|" + cycleKey(prev.cls, cls, path), () -> {
            List<Violation.ChainLink> chain = new ArrayList<>();
            chain.add(new Violation.ChainLink(prev.cls.name(), cls.name(), ts.thread.getName(), stack));
            for (Edge e : path) {
                chain.add(new Violation.ChainLink(e.from.name(), e.to.name(), e.threadName, e.stack));
            }
            Edge last = path.get(path.size() - 1);
            String fix = "Take these locks in one order everywhere: the existing chain takes " + last.from.name()
                    + " before " + prev.cls.name() + ", this thread takes " + prev.cls.name() + " before " + cls.name()
                    + ". Change one side, or take a common outer lock.";
            return new Violation(Rules.CIRCULAR_DEPENDENCY, "possible circular locking dependency detected", message,
                    Rules.citation(Rules.CIRCULAR_DEPENDENCY), fix, ts.thread, lockInfo(lock, cls, read, stack, site),
                    heldInfos(ts), chain, stack);
        });
    }

    /** What the report says of gate locks: which were considered and why none serialises the cycle. */
    private String gateNote(HeldLock[] gates, List<Edge> path) {
        if (!config.gateLocks()) {
            return "";
        }
        if (gates.length == 0) {
            return ". Gate locks considered: none (no other lock is held exclusively here).";
        }
        StringBuilder b = new StringBuilder(". Gate locks considered: ");
        for (int i = 0; i < gates.length; i++) {
            b.append(i == 0 ? "" : ", ").append(config.instanceNamer().apply(gates[i].instance)).append(" (")
                    .append(gates[i].cls.name()).append(")");
            for (Edge e : path) {
                if (!e.gatedBy(gates[i].instance)) {
                    b.append(" (not held when ").append(e.from.name()).append(" -> ").append(e.to.name())
                            .append(" was taken)");
                    break;
                }
            }
        }
        return b.append(": none of them serialises the whole cycle.").toString();
    }

    private void reportInstanceCycle(ThreadState ts, HeldLock held, Object lock, LockClass cls, int read,
            List<InstanceOrder.Link> path, StackTraceElement[] stack, Object site) {
        String a = config.instanceNamer().apply(held.instance);
        String b = config.instanceNamer().apply(lock);
        String message = ts.thread.getName() + " takes " + b + " while holding " + a + " (both " + cls.name()
                + "), but another acquisition took " + a + " after " + b;
        report(Rules.CIRCULAR_DEPENDENCY + "|" + cls.id + "|instances|" + StackTraces.top(stack), () -> {
            List<Violation.ChainLink> chain = new ArrayList<>();
            chain.add(new Violation.ChainLink(cls.name() + " " + a, cls.name() + " " + b, ts.thread.getName(), stack));
            Object from = lock;
            for (InstanceOrder.Link l : path) {
                Object to = l.to.instance();
                chain.add(new Violation.ChainLink(cls.name() + " " + config.instanceNamer().apply(from),
                        cls.name() + " " + (to == null ? "(collected)" : config.instanceNamer().apply(to)), l.threadName, l.stack));
                from = to;
            }
            String fix = "Order locks of " + cls.name() + " the same way everywhere (e.g. by a stable id), or take a common outer lock.";
            return new Violation(Rules.CIRCULAR_DEPENDENCY, "possible circular locking dependency detected", message,
                    Rules.citation(Rules.CIRCULAR_DEPENDENCY) + "; same-class instances ordered as by lock_set_cmp_fn", fix,
                    ts.thread, lockInfo(lock, cls, read, stack, site), heldInfos(ts), chain, stack);
        });
    }

    /**
     * Gives {@code cls} a qualified name (two Java classes of one name from two class loaders):
     * reports made from now on use it.
     */
    public void renameClass(LockClass cls, String name) {
        synchronized (graphLock) {
            cls.rename(Objects.requireNonNull(name, "name"));
        }
    }

    /** Records a notice in {@link #notices()} without sending it to the sink (nothing is printed). */
    public void addQuietNotice(String text) {
        notices.add(text);
    }

    /** Records a notice from the instrumentation (sent once, kept in {@link #notices()}). */
    public void addNotice(String text) {
        notice(text);
    }

    private void notice(String text) {
        if (notices.add(text)) {
            deliver(text);
        }
    }

    private void internalError(Throwable e) {
        if (!disabled) {
            disabled = true;
            notice("jlockdep internal error, checking switched off: " + e);
        }
    }

    /** For diagnostics: a snapshot of every live thread's held locks. */
    public Map<String, List<Violation.LockInfo>> allHeldLocks() {
        Map<String, List<Violation.LockInfo>> out = new LinkedHashMap<>();
        for (ThreadState ts : threads) {
            List<Violation.LockInfo> held = heldInfos(ts);
            if (!held.isEmpty()) {
                out.put(ts.thread.getName(), held);
            }
        }
        return out;
    }
}
