package io.jlockdep.agent.engine;

import io.jlockdep.api.LockdepViolationError;
import io.jlockdep.api.Rules;
import io.jlockdep.api.Violation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Every report the engine makes, and how it reaches the sink: lockdep's {@code print_*_bug}
 * family ({@code print_circular_bug}, {@code print_deadlock_bug}, {@code print_unlock_imbalance_bug},
 * {@code print_lock_invalid_wait_context}...), its "only once" ({@code debug_locks_off}), and
 * the outbox that keeps the sink from running under the graph lock.
 *
 * <p>Violations are deduplicated by rule, lock classes and site; a repeat reaches the sink as a
 * repeat of the first. In fail mode each violation (first or repeated) throws
 * {@link LockdepViolationError} at the violating call: at once outside the graph lock, after it
 * under the lock. Notices (limits reached, internal errors) are sent once. An internal error
 * switches the engine off ({@link #disabled}).
 *
 * <p>About 550 lines: every message builder is here, as the kernel keeps its {@code print_*}
 * functions together, so that the wording of all reports can be read and kept consistent in
 * one place.
 */
final class Reporter {

    private final LockdepConfig config;
    private final ViolationSink sink;
    /** The graph lock: nothing is sent to the sink while the calling thread holds it. */
    private final Object graphLock;

    private final Collection<ThreadState> threads;
    private final StackStore stacks;
    private final StackTraces traces;
    private volatile boolean stacksNoticed;

    private final ConcurrentHashMap<String, Violation> reported = new ConcurrentHashMap<>();
    private final List<Violation> violations = new CopyOnWriteArrayList<>();
    /** The dedup keys of suppressed violations: their repeats are suppressed too. */
    private final Set<String> suppressedKeys = ConcurrentHashMap.newKeySet();

    private final Set<String> notices = ConcurrentHashMap.newKeySet();
    /** Violations and notices raised under the graph lock, sent once it is released. */
    private final ConcurrentLinkedQueue<Object> outbox = new ConcurrentLinkedQueue<>();
    /** Set by the first internal error: every event returns at once from then on. */
    volatile boolean disabled;

    Reporter(LockdepConfig config, ViolationSink sink, Object graphLock, Collection<ThreadState> threads) {
        this.config = config;
        this.sink = sink;
        this.graphLock = graphLock;
        this.threads = threads;
        this.stacks = new StackStore(config.maxStackDepth(), config.maxStackEntries());
        this.traces = new StackTraces(config.skippedFrames());
    }

    /** Every violation reported so far, in order. */
    List<Violation> violations() {
        return Collections.unmodifiableList(violations);
    }

    /** The notices sent so far (limits reached, internal errors). */
    Set<String> notices() {
        return Collections.unmodifiableSet(notices);
    }

    /** The calling thread's stack as the engine keeps it: at most maxStackDepth frames, frames and traces shared. */
    StackTraceElement[] captureStack() {
        StackTraceElement[] kept = stacks.keep(traces.capture(stacks.maxDepth() + 1));
        if (!stacksNoticed && stacks.exhausted()) {
            stacksNoticed = true;
            notice("MAX_STACK_TRACE_ENTRIES too low: " + config.maxStackEntries()
                    + " stack frames kept; stacks recorded from now on keep only their first frame");
        }
        return kept;
    }

    Violation.LockInfo lockInfo(Object lock, LockClass cls, int read, StackTraceElement[] at, Object site) {
        String mode = read == Lockdep.WRITE ? "write" : read == Lockdep.READ ? "read" : "recursive-read";
        return new Violation.LockInfo(
                cls.name(),
                lock == null ? "" : config.instanceNamer().apply(lock),
                mode,
                at,
                site == null ? null : String.valueOf(site));
    }

    List<Violation.LockInfo> heldInfos(ThreadState ts) {
        List<Violation.LockInfo> out = new ArrayList<>();
        for (int i = 0; i < ts.depth; i++) {
            HeldLock h = ts.held[i];
            if (!h.pending) {
                out.add(lockInfo(h.instance, h.cls, h.read, h.stack, h.site));
            }
        }
        return out;
    }

    /**
     * A cycle's identity for deduplication: the classes of the new dependency {@code prev -> next}
     * and of the path {@code next ->* prev} it closes, in cycle order, rotated to start at the
     * smallest class id (the same cycle found from another of its dependencies is the same
     * key). Ids, not names: two classes may share a name.
     */
    static String cycleKey(LockClass prev, LockClass next, List<Edge> path) {
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
    static String classKey(List<LockClass> involved) {
        StringBuilder b = new StringBuilder();
        for (LockClass c : involved) {
            b.append(b.length() == 0 ? "" : ",").append(c.id);
        }
        return b.toString();
    }

    /**
     * Deduplicates, records, delivers; throws in fail mode on {@code ts}'s thread (no thread: the
     * run's end, nothing thrown). A null {@code make} only counts a repeat of what was reported.
     */
    void report(ThreadState ts, String dedupKey, Supplier<Violation> make) {
        Violation first = reported.get(dedupKey);
        if (first == null && make != null) {
            Violation v = make.get();
            first = reported.putIfAbsent(dedupKey, v);
            if (first == null) {
                if (suppressed(v)) {
                    suppressedKeys.add(dedupKey);
                    return;
                }
                violations.add(v);
                deliver(v);
                if (config.failFast() && ts != null) {
                    fail(ts, v);
                }
                return;
            }
        }
        if (first == null || !suppressedKeys.isEmpty() && suppressedKeys.contains(dedupKey)) {
            return; // a repeat of a suppressed violation
        }
        deliver(new Repeat(first));
        if (config.failFast() && ts != null) {
            fail(ts, first);
        }
    }

    /**
     * Whether the user's suppressions cover {@code v}: then it is counted against the entry and
     * goes nowhere else (not printed, not thrown, not filed under a test).
     */
    private boolean suppressed(Violation v) {
        return !config.suppressions().isEmpty() && config.suppressions().suppress(v) != null;
    }

    /** An outbox item: a violation delivered before, seen again. */
    record Repeat(Violation first) {}

    /**
     * Fail mode: throw at the violating call. Under the graph lock the throw waits until the lock
     * is released ({@code ChainValidator.validate} rethrows it, before the thread's state changes).
     */
    void fail(ThreadState ts, Violation v) {
        if (Thread.holdsLock(graphLock)) {
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
    void deliver(Object item) {
        if (Thread.holdsLock(graphLock)) {
            outbox.add(item);
            return;
        }
        send(item);
    }

    void send(Object item) {
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
    void drainOutbox() {
        Object item;
        while ((item = outbox.poll()) != null) {
            send(item);
        }
    }

    void reportSimple(
            ThreadState ts,
            String rule,
            String title,
            String message,
            String fix,
            Violation.LockInfo acquiring,
            List<LockClass> involved) {
        String site = traces.site();
        report(
                ts,
                rule + "|" + classKey(involved) + "|" + site,
                () -> new Violation(
                        rule,
                        title,
                        message,
                        Rules.citation(rule),
                        fix,
                        ts.thread,
                        acquiring,
                        heldInfos(ts),
                        List.of(),
                        captureStack()));
    }

    void reportRecursion(ThreadState ts, HeldLock held, Object lock, LockClass cls, int read, Object site) {
        boolean sameInstance = held.instance == lock;
        boolean upgrade = sameInstance && held.read != Lockdep.WRITE && read == Lockdep.WRITE;
        String message = upgrade
                ? ts.name() + " holds " + config.instanceNamer().apply(lock) + " (" + cls.name()
                        + ") for reading and asks for it for writing: a read-to-write upgrade waits for itself"
                : sameInstance
                        ? ts.name() + " is trying to acquire "
                                + config.instanceNamer().apply(lock) + " (" + cls.name() + "), which it already holds"
                        : ts.name() + " is trying to acquire "
                                + config.instanceNamer().apply(lock)
                                + " while holding " + config.instanceNamer().apply(held.instance) + ", both "
                                + cls.name() + ", without a nest context";
        String fix = upgrade
                ? "Release the read lock before taking the write lock (and re-check state), or take the write lock from the start."
                : "Do not take a lock the thread already holds: it is not re-entrant. Restructure so the inner code runs"
                        + " with the lock held instead of taking it again.";
        reportSimple(
                ts,
                Rules.RECURSIVE_LOCKING,
                "possible recursive locking detected",
                message,
                fix,
                lockInfo(lock, cls, read, null, site),
                List.of(cls));
    }

    void reportAcquireInsideScope(
            ThreadState ts, ThreadState.ApiFrame scope, Object lock, LockClass cls, int read, Object site) {
        ApiRule rule = scope.rule;
        String message = ts.name() + " acquires " + rule.lockDescription() + " ("
                + config.instanceNamer().apply(lock) + ") inside " + rule.function()
                + (rule.kind() == ApiRule.Kind.CALLBACK_LOCKED ? ", which is invoked with it already held" : "");
        String site0 = traces.site();
        report(
                ts,
                rule.id() + "|inside|" + rule.function() + "|" + site0,
                () -> new Violation(
                        rule.id(),
                        "locking convention violated: lock taken inside " + rule.function(),
                        message,
                        rule.citation() + " - \"" + rule.text() + "\"",
                        "Do not take " + rule.lockDescription() + " in " + rule.function() + ": it "
                                + (rule.kind() == ApiRule.Kind.CALLBACK_LOCKED
                                        ? "is called with it held; use the lock the caller holds."
                                        : "must not be acquired there."),
                        ts.thread,
                        lockInfo(lock, cls, read, null, site),
                        heldInfos(ts),
                        List.of(),
                        captureStack()));
    }

    void reportApi(ThreadState ts, ApiRule rule, Object lock, boolean held, Object site) {
        String site0 = traces.callerSite();
        if (site0 == null) {
            return; // the agent's own call (its engine's ArrayList.add under a user's rule on it)
        }
        String lockName = config.instanceNamer().apply(lock);
        String message;
        String fix;
        // the dma-buf convention has locked and _unlocked variants of its functions; a user's rule has not
        boolean dmaBuf = rule.id().startsWith(Rules.DMA_BUF_PREFIX);
        switch (rule.kind()) {
            case MUST_HOLD:
                message = ts.name() + " calls " + rule.function() + " without holding " + rule.lockDescription() + " ("
                        + lockName + ")";
                fix = "Take " + rule.lockDescription()
                        + (dmaBuf
                                ? " around the call (or use the _unlocked variant, which takes it)."
                                : " around the call to " + rule.function() + ".");
                break;
            case MUST_NOT_HOLD:
                message = ts.name() + " calls " + rule.function() + " while holding " + rule.lockDescription()
                        + " (" + lockName + ")"
                        + (dmaBuf ? ", which it takes itself or lets the exporter take" : ", which the rule forbids");
                fix = "Release " + rule.lockDescription()
                        + (dmaBuf
                                ? " before the call, or use the locked variant inside the critical section."
                                : " before calling " + rule.function() + ", or move the call out of the critical"
                                        + " section.");
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
        String title = "locking convention violated: " + rule.function() + (held ? " with " : " without ")
                + rule.lockDescription() + " held";
        report(
                ts,
                rule.id() + "|" + rule.function() + "|" + site0,
                () -> new Violation(
                        rule.id(),
                        title,
                        message,
                        rule.citation() + " - \"" + rule.text() + "\"",
                        fix,
                        ts.thread,
                        new Violation.LockInfo(
                                rule.lockDescription(),
                                lockName,
                                "write",
                                null,
                                site == null ? null : String.valueOf(site)),
                        heldInfos(ts),
                        List.of(),
                        captureStack()));
    }

    /** A member's lock contract broken: see {@link Lockdep#guarded}. */
    void reportGuard(
            ThreadState ts,
            GuardRule rule,
            Object lock,
            boolean write,
            boolean heldForReading,
            int site,
            Object owner) {
        if (owner != null && !(owner instanceof Class) && ts.isBuilding(owner)) {
            return; // the object is being built, not shared yet (a method its constructor calls, too)
        }
        boolean field = rule.kind() == GuardRule.Kind.FIELD;
        String id = !field ? Rules.GUARD_NOT_HOLDING : write ? Rules.GUARD_UNGUARDED_WRITE : Rules.GUARD_UNGUARDED_READ;
        String where = site != 0 ? String.valueOf(site) : traces.site();
        String key = id + "|" + rule.member() + "|" + where;
        if ((owner == null || owner instanceof Class)
                && !reported.containsKey(key)
                && StackTraces.insideInitialiserOf(rule.ownerClass(), owner == null)) {
            // a static member while its class is initialised (or, the object not known, anything
            // inside its class's initialisers), as the static checkers have it; walked for a site
            // not reported yet, not for each repeat
            return;
        }
        // a repeat costs the key and the lookup: the rest is built once, for the first report
        report(ts, key, () -> guardViolation(ts, rule, id, lock, write, heldForReading));
    }

    private Violation guardViolation(
            ThreadState ts, GuardRule rule, String id, Object lock, boolean write, boolean heldForReading) {
        boolean field = rule.kind() == GuardRule.Kind.FIELD;
        String lockName = config.instanceNamer().apply(lock);
        String what = field ? (write ? "writes " : "reads ") + rule.member() : "calls " + rule.member();
        String named = "'" + rule.expression() + "' (" + (rule.declaration() == null ? "" : rule.declaration() + ", ")
                + lockName + ")";
        String message = ts.name() + " " + what
                + (heldForReading ? " holding " + named + " only for reading" : " without holding " + named)
                + ", which " + rule.annotation() + " on " + rule.member() + " asks for";
        String title = field
                ? "lock contract violated: " + (write ? "write" : "read") + " of a guarded field without its lock"
                : "lock contract violated: guarded method called without its lock";
        String fix = heldForReading
                ? "Take the write lock of '" + rule.expression() + "' around the write."
                : field
                        ? "Take '" + rule.expression() + "' around the access, as " + rule.annotation()
                                + " declares (or correct the annotation, if the field is not shared)."
                        : "Call " + rule.member() + " with '" + rule.expression() + "' held, as " + rule.annotation()
                                + " declares.";
        return new Violation(
                id,
                title,
                message,
                Rules.citation(id) + " - " + rule,
                fix,
                ts.thread,
                new Violation.LockInfo(
                        rule.declaration() != null
                                ? rule.declaration()
                                : rule.expression() + " (the lock of " + rule.member() + ")",
                        lockName,
                        write ? "write" : "read",
                        null,
                        null),
                heldInfos(ts),
                List.of(),
                captureStack());
    }

    /**
     * A lock taken inside a {@code @LockingFree} method ({@code acquired}), or a lock the method
     * was called with released inside a {@code @ReleasesNoLocks} or {@code @LockingFree} one.
     */
    void reportGuardScope(ThreadState ts, GuardRule rule, Object lock, LockClass cls, int read, boolean acquired) {
        String id = acquired ? Rules.GUARD_ACQUIRED_LOCK : Rules.GUARD_RELEASED_LOCK;
        // as for reportGuard: a repeat costs the key and the lookup, the report is built once
        report(
                ts,
                id + "|" + rule.member() + "|" + traces.site(),
                () -> guardScopeViolation(ts, rule, id, lock, cls, read, acquired));
    }

    private Violation guardScopeViolation(
            ThreadState ts, GuardRule rule, String id, Object lock, LockClass cls, int read, boolean acquired) {
        String lockName = config.instanceNamer().apply(lock) + " (" + cls.name() + ")";
        String message = ts.name() + (acquired ? " acquires " : " releases ") + lockName + " inside "
                + rule.member() + ", which " + rule.annotation()
                + (rule.kind() == GuardRule.Kind.LOCKING_FREE
                        ? " declares takes and releases no lock"
                        : " declares releases no lock it is called with");
        String title = acquired
                ? "lock contract violated: lock acquired inside a locking-free method"
                : "lock contract violated: a caller's lock released inside a method that releases none";
        String fix = acquired
                ? "Take " + cls.name() + " outside " + rule.member() + ", or drop " + rule.annotation() + " from it."
                : "Leave the release to the caller of " + rule.member() + ", or drop " + rule.annotation()
                        + " from it.";
        return new Violation(
                id,
                title,
                message,
                Rules.citation(id) + " - " + rule,
                fix,
                ts.thread,
                lockInfo(lock, cls, read, null, null),
                heldInfos(ts),
                List.of(),
                captureStack());
    }

    void reportBadUnlock(ThreadState ts, Object lock, LockClass cls, int read) {
        String holder = null;
        for (ThreadState other : threads) {
            if (other != ts && other.indexOfHeld(lock) >= 0) {
                holder = other.name();
                break;
            }
        }
        boolean ww = cls.kind() == LockClass.Kind.WW_MUTEX;
        String rule = ww ? Rules.WW_UNLOCK_NOT_HELD : Rules.BAD_UNLOCK_BALANCE;
        String message = ts.name() + " is trying to release "
                + config.instanceNamer().apply(lock) + " (" + cls.name() + ") but "
                + (holder != null ? "it is held by " + holder : "it holds no such lock");
        reportSimple(
                ts,
                rule,
                "bad unlock balance detected!",
                message,
                holder != null
                        ? "Only the thread that took a lock may release it."
                        : "Release each lock exactly once, after taking it.",
                lockInfo(lock, cls, read, null, null),
                List.of(cls));
    }

    void reportOverRelease(ThreadState ts, Object lock, LockClass cls, int free) {
        reportSimple(
                ts,
                Rules.BAD_UNLOCK_BALANCE,
                "bad unlock balance detected!",
                ts.name() + " is trying to release "
                        + config.instanceNamer().apply(lock) + " ("
                        + cls.name() + ") but " + free + (free == 1 ? " permit is" : " permits are")
                        + " already free: it would have " + (free + 1)
                        + " permits, and no longer exclude anyone",
                "Release a binary semaphore once per acquisition: the thread that took it, or the one it"
                        + " handed the permit to, not both.",
                lockInfo(lock, cls, Lockdep.WRITE, null, null),
                List.of(cls));
    }

    /**
     * A cycle found, reported; or, when it joins two different objects of each class of
     * {@code undecided} (classes whose roles may still be told apart,
     * {@link Lockdep#rolesUndecided}; empty: none), kept with its report made now (the thread's
     * held locks are now) until one of them is split ({@link #rolesDecided}: dropped, as the roles
     * explain it) or the run ends ({@link #releaseDeferred}: reported). A cycle already reported
     * is a repeat, as always. Graph lock held.
     */
    void reportCycle(
            ThreadState ts,
            HeldLock prev,
            Object lock,
            LockClass cls,
            int read,
            List<Edge> path,
            StackTraceElement[] stack,
            Object site,
            HeldLock[] gates,
            List<LockClass> undecided) {
        String key = Rules.CIRCULAR_DEPENDENCY + "|" + cycleKey(prev.cls, cls, path);
        if (undecided.isEmpty()) {
            report(ts, key, () -> cycle(ts, prev, lock, cls, read, path, stack, site, gates, ""));
            return;
        }
        if (reported.containsKey(key)) {
            report(ts, key, null); // a repeat
            return;
        }
        for (Deferred d : deferred) {
            if (d.key.equals(key)) {
                return;
            }
        }
        StringBuilder names = new StringBuilder();
        for (LockClass c : undecided) {
            names.append(names.length() == 0 ? "" : ", ").append(c.name());
        }
        String why = " Reported when the run ended: the objects of " + names + " are made at several sites, which"
                + " would be lock classes of their own (roles) had the run nested two of them made at different"
                + " sites; it did not, so each is one class.";
        deferred.add(new Deferred(key, cycle(ts, prev, lock, cls, read, path, stack, site, gates, why), undecided));
    }

    /** A cycle waiting on a class's undecided roles ({@link #reportCycle}). */
    private record Deferred(String key, Violation violation, List<LockClass> undecided) {}

    /** The cycles waiting on undecided roles, in the order found. Graph lock. */
    private final List<Deferred> deferred = new ArrayList<>();

    /** {@code cls} was split into its roles: the cycles waiting on it are dropped. Graph lock held. */
    void rolesDecided(LockClass cls) {
        deferred.removeIf(d -> d.undecided.contains(cls));
    }

    /** The run ends: the cycles still waiting on undecided roles are reported (never thrown). */
    void releaseDeferred(Object graphLock) {
        List<Deferred> all;
        synchronized (graphLock) {
            all = new ArrayList<>(deferred);
            deferred.clear();
        }
        for (Deferred d : all) {
            report(null, d.key, () -> d.violation);
        }
        drainOutbox();
    }

    private Violation cycle(
            ThreadState ts,
            HeldLock prev,
            Object lock,
            LockClass cls,
            int read,
            List<Edge> path,
            StackTraceElement[] stack,
            Object site,
            HeldLock[] gates,
            String why) {
        StringBuilder through = new StringBuilder(cls.name());
        for (Edge e : path) {
            through.append(" -> ").append(e.to.name());
        }
        String message = ts.name() + " is trying to acquire " + cls.name() + " while holding " + prev.cls.name()
                + ", but " + cls.name() + " already depends on " + prev.cls.name() + " (" + through + ")"
                + gateNote(gates, path) + why;
        List<Violation.ChainLink> chain = new ArrayList<>();
        chain.add(new Violation.ChainLink(
                prev.cls.name(),
                cls.name(),
                ts.name(),
                stack,
                config.instanceNamer().apply(prev.instance),
                config.instanceNamer().apply(lock)));
        for (Edge e : path) {
            chain.add(new Violation.ChainLink(
                    e.from.name(), e.to.name(), e.threadName, e.stack, e.fromInstance, e.toInstance));
        }
        Edge last = path.get(path.size() - 1);
        String fix = "Take these locks in one order everywhere: the existing chain takes " + last.from.name()
                + " before " + prev.cls.name() + ", this thread takes " + prev.cls.name() + " before " + cls.name()
                + ". Change one side, or take a common outer lock.";
        return new Violation(
                Rules.CIRCULAR_DEPENDENCY,
                "possible circular locking dependency detected",
                message,
                Rules.citation(Rules.CIRCULAR_DEPENDENCY),
                fix,
                ts.thread,
                lockInfo(lock, cls, read, stack, site),
                heldInfos(ts),
                chain,
                stack);
    }

    /** What the report says of gate locks: which were considered and why none serialises the cycle. */
    String gateNote(HeldLock[] gates, List<Edge> path) {
        if (!config.gateLocks()) {
            return "";
        }
        if (gates.length == 0) {
            return ". Gate locks considered: none (no other lock is held exclusively here).";
        }
        StringBuilder b = new StringBuilder(". Gate locks considered: ");
        for (int i = 0; i < gates.length; i++) {
            b.append(i == 0 ? "" : ", ")
                    .append(config.instanceNamer().apply(gates[i].instance))
                    .append(" (")
                    .append(gates[i].cls.name())
                    .append(")");
            for (Edge e : path) {
                if (!e.gatedBy(gates[i].instance)) {
                    b.append(" (not held when ")
                            .append(e.from.name())
                            .append(" -> ")
                            .append(e.to.name())
                            .append(" was taken)");
                    break;
                }
            }
        }
        return b.append(": none of them serialises the whole cycle.").toString();
    }

    void reportInstanceCycle(
            ThreadState ts,
            HeldLock held,
            Object lock,
            LockClass cls,
            int read,
            List<InstanceOrder.Link> path,
            StackTraceElement[] stack,
            Object site) {
        String a = config.instanceNamer().apply(held.instance);
        String b = config.instanceNamer().apply(lock);
        String message = ts.name() + " takes " + b + " while holding " + a + " (both " + cls.name()
                + "), but another acquisition took " + a + " after " + b;
        report(
                ts,
                Rules.CIRCULAR_DEPENDENCY + "|" + cls.id + "|instances|" + StackTraces.applicationSite(stack),
                () -> {
                    List<Violation.ChainLink> chain = new ArrayList<>();
                    chain.add(new Violation.ChainLink(cls.name() + " " + a, cls.name() + " " + b, ts.name(), stack));
                    Object from = lock;
                    for (InstanceOrder.Link l : path) {
                        Object to = l.to.instance();
                        chain.add(new Violation.ChainLink(
                                cls.name() + " " + config.instanceNamer().apply(from),
                                cls.name() + " "
                                        + (to == null
                                                ? "(collected)"
                                                : config.instanceNamer().apply(to)),
                                l.threadName,
                                l.stack));
                        from = to;
                    }
                    String fix = "Order locks of " + cls.name()
                            + " the same way everywhere (e.g. by a stable id), or take a common outer lock.";
                    return new Violation(
                            Rules.CIRCULAR_DEPENDENCY,
                            "possible circular locking dependency detected",
                            message,
                            Rules.citation(Rules.CIRCULAR_DEPENDENCY)
                                    + "; same-class instances ordered as by lock_set_cmp_fn",
                            fix,
                            ts.thread,
                            lockInfo(lock, cls, read, stack, site),
                            heldInfos(ts),
                            chain,
                            stack);
                });
    }

    /**
     * A deadlock the watchdog found: reported once, never thrown (the watchdog is not the
     * deadlocked thread), from the watchdog's thread.
     */
    void reportDeadlock(String message, ThreadState first) {
        deadlock(
                message,
                first.thread,
                first,
                first.thread.getStackTrace(),
                "Take these locks in one order everywhere (the dependency history shows"
                        + " where each order was taken), or acquire with a timeout and back off.");
    }

    /** A deadlock the JVM found ({@code JvmDeadlocks}): {@code ts} is the first thread's state when it has one. */
    void reportObservedDeadlock(String message, Thread first, ThreadState ts, StackTraceElement[] stack) {
        deadlock(
                message,
                first,
                ts,
                stack,
                "Take these locks in one order everywhere; where they are a library's (a JDK class's"
                        + " synchronized methods), call it in one order, or copy before comparing.");
    }

    private void deadlock(String message, Thread first, ThreadState ts, StackTraceElement[] stack, String fix) {
        Violation v = new Violation(
                Rules.DEADLOCK,
                "deadlock detected: threads wait for each other",
                message,
                Rules.citation(Rules.DEADLOCK),
                fix,
                first,
                null,
                ts == null ? List.of() : heldInfos(ts),
                List.of(),
                stack);
        if (suppressed(v)) {
            return;
        }
        violations.add(v);
        deliver(v);
    }

    /** Records a notice in {@link #notices()} without sending it to the sink (nothing is printed); escaped. */
    void addQuietNotice(String text) {
        notices.add(io.jlockdep.api.Printable.escape(text));
    }

    /**
     * Records and prints a notice, once; escaped ({@link io.jlockdep.api.Printable}): notices quote
     * what users and class files wrote (lock expressions, spec names), which may hold any character.
     */
    void notice(String text) {
        String escaped = io.jlockdep.api.Printable.escape(text);
        if (notices.add(escaped)) {
            deliver(escaped);
        }
    }

    void internalError(Throwable e) {
        if (!disabled) {
            disabled = true;
            notice("jlockdep internal error, checking switched off: " + e);
        }
    }

    /**
     * {@code debug_check_no_locks_held}: reports {@code lockdep/held-lock-at-exit} when the
     * thread holds locks (semaphores aside: their permits are not owned) at {@code event}.
     *
     * @return whether nothing was held
     */
    boolean checkHeld(ThreadState ts, String event) {
        HeldLocks.resyncMonitors(ts);
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
        reportSimple(
                ts,
                Rules.HELD_LOCK_AT_EXIT,
                "lock held when returning to user space!",
                ts.name() + " " + event + " with " + held + " lock(s) still held",
                "Release every lock on every path (try/finally), including error paths.",
                null,
                classesHeld);
        return false;
    }
}
