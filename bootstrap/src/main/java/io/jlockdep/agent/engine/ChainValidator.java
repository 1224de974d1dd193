package io.jlockdep.agent.engine;

import io.jlockdep.api.LockdepViolationError;
import io.jlockdep.api.Violation;
import java.util.List;

/**
 * Validation of a new lock chain: lockdep's {@code validate_chain} -> {@code check_prevs_add}.
 *
 * <p>Each thread's held-lock stack has a 64-bit chain key ({@link HeldLocks#fold}, the kernel's
 * {@code iterate_chain_key}). A chain the thread's own small cache or the shared
 * {@link ChainCache} knows was validated before: every dependency it implies is in the graph, and
 * the acquisition takes no lock and captures no stack. Only a chain never seen comes here: under
 * the graph lock it orders same-class instances ({@link InstanceOrder}: Java has no nest
 * annotations), then adds the {@code check_prevs_add} dependencies ({@code prev -> next} from the
 * top held lock, and from each trylock above the first non-trylock entry), checking each new one
 * for a cycle ({@link DependencyGraph#strongPath}) unless a gate lock serialises it. A chain that
 * closed a cycle is not cached, so each new run of the bad pattern is seen again.
 */
final class ChainValidator {

    private final LockdepConfig config;
    private final DependencyGraph graph;
    private final Reporter reporter;
    private final ChainCache chains;
    private final InstanceOrder instances = new InstanceOrder();

    /** The first occurrence of the same-class instance dependency {@code from -> to}, or null. Graph lock held. */
    InstanceOrder.Link instanceLink(Object from, Object to) {
        return instances.link(from, to);
    }

    private volatile boolean instancesFull;
    private volatile boolean chainsFull;

    ChainValidator(LockdepConfig config, DependencyGraph graph, Reporter reporter) {
        this.config = config;
        this.graph = graph;
        this.reporter = reporter;
        this.chains = new ChainCache(config.maxChains());
    }

    /** Whether the chain {@code key} was validated: the thread's own small cache first, then the shared one. */
    boolean knownChain(ThreadState ts, long key) {
        if (ts.knowsChain(key)) {
            return true;
        }
        if (chains.contains(key)) {
            ts.rememberChain(key);
            return true;
        }
        return false;
    }

    int chainCount() {
        synchronized (graph.lock) {
            return chains.size();
        }
    }

    /**
     * The slow path: same-class instance order, then check_prevs_add and cycle search. The stack
     * is captured only when something is recorded or reported (a new dependency, a new instance
     * order, a violation), as the kernel saves a trace only in check_prev_add; it becomes the held
     * entry's stack, for later dependencies from it and for "locks held" lists.
     *
     * @throws LockdepViolationError in fail mode, after the graph lock is released
     */
    StackTraceElement[] validate(
            ThreadState ts, Object lock, LockClass cls, int read, Object ctx, long key, Object site) {
        ts.slowStack = null;
        try {
            validateLocked(ts, lock, cls, read, ctx, key, site);
        } finally {
            reporter.drainOutbox();
        }
        StackTraceElement[] stack = ts.slowStack;
        ts.slowStack = null;
        throwPending(ts);
        return stack;
    }

    /** In fail mode: the violation the thread's last validation found, thrown (once). */
    void throwPending(ThreadState ts) {
        Violation failure = ts.pendingFailure;
        if (failure != null) {
            ts.pendingFailure = null;
            throw new LockdepViolationError(failure);
        }
    }

    /**
     * The held entry {@code index} changed class ({@link Lockdep#reclassHeld}): the dependency
     * from it to the acquired entry right above it, added and checked as at that entry's
     * acquisition ({@code check_prev_add}), with that acquisition's stack where it was kept.
     */
    void revalidateAbove(ThreadState ts, int index) {
        if (index + 1 >= ts.depth) {
            return;
        }
        HeldLock prev = ts.held[index];
        HeldLock next = ts.held[index + 1];
        if (prev.pending || next.pending || prev.cls == next.cls) {
            return;
        }
        ts.slowStack = next.stack;
        ts.occurrence = next.privately ? ts.tid : 0;
        try {
            synchronized (graph.lock) {
                if (!graph.isFull()) {
                    checkPrevAdd(ts, prev, index, next.instance, next.cls, next.read, next.site);
                }
            }
        } finally {
            reporter.drainOutbox();
            ts.slowStack = null;
        }
    }

    /** The stack of the acquisition being validated, captured on first need (bounded, shared). */
    private StackTraceElement[] slowStack(ThreadState ts) {
        StackTraceElement[] stack = ts.slowStack;
        if (stack == null) {
            stack = reporter.captureStack();
            ts.slowStack = stack;
        }
        return stack;
    }

    private void validateLocked(
            ThreadState ts, Object lock, LockClass cls, int read, Object ctx, long key, Object site) {
        synchronized (graph.lock) {
            boolean instanceCycle = orderInstances(ts, lock, cls, read, ctx, site);
            if (graph.isFull() || ts.pendingFailure != null) {
                return; // fail mode: the acquisition will not happen, so nothing of it is recorded
            }
            boolean cycle = checkPrevsAdd(ts, lock, cls, read, site);
            if (ts.pendingFailure != null || graph.isFull()) {
                return; // not cached: the same chain must fail again next time
            }
            if (cycle || instanceCycle) {
                return; // not cached: each new run of the bad pattern is seen (as a repeat)
            }
            if (ts.occurrence != 0) {
                ts.rememberChain(key); // private to this thread: another thread's occurrence is its own
                return;
            }
            if (!chains.add(key) && !chainsFull) {
                chainsFull = true;
                reporter.notice("MAX_LOCKDEP_CHAINS too low: " + config.maxChains() + " lock chains cached; chains"
                        + " beyond it are not cached but validated on the slow path each time they are new to a thread"
                        + " (slower; nothing is left unchecked)");
            }
            ts.rememberChain(key);
        }
    }

    /**
     * How many same-class instance pairs of one lock class are recorded with the stack where they
     * were first nested; later ones with the thread only (a report of a cycle through them shows
     * the stack of the acquisition that closed it, and "(no stack recorded)" for them).
     */
    static final int INSTANCE_STACKS = 4096;

    /**
     * Same-class nesting without a common nest context: orders the instances, and reports an
     * instance cycle. Graph lock held.
     *
     * @return whether an instance cycle was found
     */
    private boolean orderInstances(ThreadState ts, Object lock, LockClass cls, int read, Object ctx, Object site) {
        boolean instanceCycle = false;
        for (int i = 0; i < ts.depth; i++) {
            HeldLock h = ts.held[i];
            if (!HeldLocks.otherOfSameClass(h, lock, cls, ctx)) {
                continue;
            }
            if (cls.kind() == LockClass.Kind.WW_MUTEX && ctx == null) {
                continue; // reported as ww/nest-without-context
            }
            if (read == Lockdep.RECURSIVE_READ && h.read != Lockdep.WRITE) {
                continue;
            }
            if (instances.hasEdge(h.instance, lock)) {
                ts.rememberOrdered(ThreadState.orderedPair(h.instance, lock));
                continue;
            }
            List<InstanceOrder.Link> path = instances.path(lock, h.instance);
            if (path != null) {
                instances.keepClosing(h.instance, lock, ts.name(), slowStack(ts), config.maxInstanceEdges());
                reporter.reportInstanceCycle(ts, h, lock, cls, read, path, slowStack(ts), site);
                instanceCycle = true;
                continue;
            }
            if (instancesFull) {
                continue;
            }
            StackTraceElement[] stack = cls.instanceStacks < INSTANCE_STACKS ? slowStack(ts) : null;
            if (instances.add(h.instance, lock, ts.name(), stack, config.maxInstanceEdges())) {
                cls.instanceStacks += stack == null ? 0 : 1;
                ts.rememberOrdered(ThreadState.orderedPair(h.instance, lock));
            } else {
                instancesFull = true;
                reporter.notice("MAX instance-order entries too low: " + config.maxInstanceEdges()
                        + " same-class instance pairs recorded; new same-class nesting is no longer validated");
            }
        }
        return instanceCycle;
    }

    /**
     * {@code check_prevs_add}: the dependency from the top held lock, and from each trylock above
     * the first non-trylock entry, to {@code cls}; each one new (or of a new kind) goes through
     * {@code check_prev_add}. Graph lock held.
     *
     * @return whether a cycle was found
     */
    private boolean checkPrevsAdd(ThreadState ts, Object lock, LockClass cls, int read, Object site) {
        boolean cycle = false;
        for (int i = ts.depth - 1; i >= 0; i--) {
            HeldLock prev = ts.held[i];
            if (prev.pending) {
                continue;
            }
            if (prev.cls != cls) {
                int result = checkPrevAdd(ts, prev, i, lock, cls, read, site);
                if (result < 0) {
                    return cycle; // the graph is full
                }
                cycle |= result > 0;
            }
            if (!prev.trylock) {
                break;
            }
        }
        return cycle;
    }

    /**
     * {@code check_prev_add} for {@code prev -> cls}: check_noncircular runs before the
     * existing-edge lookup, so a known dependency of a new kind (e.g. write after recursive read)
     * is checked too. A dependency now taken without a gate lock that guarded it before may open
     * a cycle it was gated in: that is checked again. Graph lock held.
     *
     * @return 1 for a cycle, 0 for none, -1 when the graph is full
     */
    private int checkPrevAdd(
            ThreadState ts, HeldLock prev, int prevIndex, Object lock, LockClass cls, int read, Object site) {
        Edge e = prev.cls.edgeTo(cls);
        int bit = Edge.depBit(prev.read, read);
        HeldLock[] below = HeldLocks.heldBelow(ts, prevIndex);
        Object[] gateInstances = HeldLocks.instances(below);
        long occurrence = ts.occurrence;
        if (e != null && (e.dep & bit) != 0 && e.covers(occurrence)) {
            if (e.narrowGates(gateInstances) && config.gateLocks()) {
                List<Edge> path = graph.strongPath(cls, read, prev.cls, prev.read, ts.tid);
                if (path != null && !graph.gatedCycle(gateInstances, cls, prev.cls, ts.tid)) {
                    if (!privateMeetsShared(ts, path)) {
                        reportCycle(ts, prev, lock, cls, read, path, site, below);
                    }
                    return 1;
                }
            }
            return 0;
        }
        List<Edge> path =
                graph.unreachable(cls, prev.cls) ? null : graph.strongPath(cls, read, prev.cls, prev.read, ts.tid);
        // a cycle every way round which one lock held here serialises is no deadlock: the
        // dependency is recorded like any other
        boolean gated = path != null && config.gateLocks() && graph.gatedCycle(gateInstances, cls, prev.cls, ts.tid);
        if (path != null && !gated) {
            if (!graph.mergeClosing(prev.cls, cls, bit)) {
                graph.keepClosing(prev.cls, cls, bit, ts.name(), instanceNames(prev, lock), slowStack(ts), prev.stack);
            }
            // the JDK's own locks among themselves are its concern; a cycle that needs a lock only
            // one thread took to be held by another was taken before that lock was shared: kept
            // out of the graph like a reported one (each new run of it is validated again), not
            // reported
            if (!DependencyGraph.internalOnly(prev.cls, cls, path) && !privateMeetsShared(ts, path)) {
                reportCycle(ts, prev, lock, cls, read, path, site, below);
            }
            return 1;
        }
        if (e != null) {
            e.dep |= bit;
            e.occurred(occurrence, lock);
            e.narrowGates(gateInstances);
            return 0;
        }
        return graph.addDependency(
                        prev.cls,
                        cls,
                        bit,
                        ts.name(),
                        instanceNames(prev, lock),
                        slowStack(ts),
                        prev.stack,
                        gateInstances,
                        ts.tid,
                        occurrence,
                        lock)
                ? 0
                : -1;
    }

    /**
     * A cycle found: reported, or kept until the run ends when it joins two different objects
     * of a class whose roles are undecided ({@link Lockdep#rolesUndecided}). Graph lock held.
     */
    private void reportCycle(
            ThreadState ts,
            HeldLock prev,
            Object lock,
            LockClass cls,
            int read,
            List<Edge> path,
            Object site,
            HeldLock[] below) {
        reporter.reportCycle(
                ts, prev, lock, cls, read, path, slowStack(ts), site, below, undecidedJoins(prev, lock, cls, path));
    }

    /**
     * Whether the cycle closed by this thread's acquisition needs a lock that only one thread has
     * taken to be held by another: some part of it is private (the acquisition itself,
     * {@code ts.occurrence}, or a dependency of the path, {@link Edge#privateTo}) and some part
     * is shared work of a thread that never took that lock (the acquisition itself when shared,
     * or a shared dependency first taken by another thread). Nothing else held the lock when the
     * private part was taken: it came before the lock was shared, which no run can deadlock on
     * (ZooKeeper's peer loading its database before its threads exist). A cycle all of one
     * thread's (one thread taking two locks in both orders), or of private parts only (each
     * thread its own objects, as tests make them: they stand for the code), is a cycle.
     */
    private static boolean privateMeetsShared(ThreadState ts, List<Edge> path) {
        int n = path.size();
        for (int p = -1; p < n; p++) {
            long[] owners = p < 0 ? (ts.occurrence != 0 ? new long[] {ts.tid} : null) : path.get(p).privateTo;
            if (owners == null) {
                continue;
            }
            for (int s = -1; s < n; s++) {
                long thread;
                if (s < 0) {
                    if (ts.occurrence != 0) {
                        continue;
                    }
                    thread = ts.tid;
                } else {
                    Edge e = path.get(s);
                    if (e.privateTo != null) {
                        continue;
                    }
                    thread = e.tid;
                }
                boolean owner = false;
                for (long o : owners) {
                    owner |= o == thread;
                }
                if (!owner) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The classes of the cycle {@code prev -> cls ->* prev} with undecided roles whose place in
     * it two different objects take (the dependency into it first seen on one, the one out of it
     * on another, as the report's "joins different objects" paragraph says).
     */
    private List<LockClass> undecidedJoins(HeldLock prev, Object lock, LockClass cls, List<Edge> path) {
        List<LockClass> joins = List.of();
        int links = path.size() + 1; // link 0: prev -> cls, now; link j: path[j - 1]
        for (int j = 0; j < links; j++) {
            LockClass at = j == 0 ? cls : path.get(j - 1).to;
            if (!at.rolesUndecided) {
                continue;
            }
            String in = j == 0 ? config.instanceNamer().apply(lock) : path.get(j - 1).toInstance;
            String out = j < path.size()
                    ? path.get(j).fromInstance
                    : config.instanceNamer().apply(prev.instance);
            if (in != null && out != null && !in.isEmpty() && !out.isEmpty() && !in.equals(out)) {
                joins = joins.isEmpty() ? new java.util.ArrayList<>() : joins;
                joins.add(at);
            }
        }
        return joins;
    }

    /** The names of the held object and of the one taken, for a new dependency's first occurrence. */
    private String[] instanceNames(HeldLock prev, Object lock) {
        return new String[] {
            config.instanceNamer().apply(prev.instance), config.instanceNamer().apply(lock)
        };
    }
}
