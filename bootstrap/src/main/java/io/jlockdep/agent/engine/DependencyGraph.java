package io.jlockdep.agent.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lock-dependency graph: lock classes ({@code lock_classes}, {@code register_lock_class}),
 * dependencies between them ({@code lock_list}, added by {@code check_prev_add}) and the cycle
 * search ({@code check_noncircular} over {@code __bfs}).
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
 * way to full searches); they are kept apart for the report's graph.
 *
 * <h2>Gate locks</h2>
 * Each dependency remembers which locks were held exclusively when it was taken; a cycle every
 * way round which one of those locks serialises ({@link #gatedCycle}) is not a deadlock.
 *
 * <p>Everything but the class lookup's fast path runs under {@link #lock}, the graph lock.
 */
final class DependencyGraph {

    /** The graph lock: guards the graph (edges, BFS marks, topological order), the chain cache's writer side, instance order. */
    final Object lock;

    private final LockdepConfig config;
    private final Reporter reporter;
    private final ConcurrentHashMap<Object, LockClass> classesByKey = new ConcurrentHashMap<>();
    private final AtomicInteger nextClassId = new AtomicInteger();
    private final List<LockClass> classes = new ArrayList<>();
    private final TopoOrder order = new TopoOrder();
    private int edgeCount;
    private long edgeSequence;
    private int bfsGeneration;
    private volatile boolean full;
    /**
     * Dependencies judged to close a cycle (reported, not added to the graph, which stays acyclic
     * for the search): kept for the report's graph, keyed {@code from.id << 32 | to.id}. Graph lock.
     */
    private final Map<Long, Edge> closing = new HashMap<>();

    DependencyGraph(LockdepConfig config, Reporter reporter, Object lock) {
        this.config = config;
        this.reporter = reporter;
        this.lock = lock;
    }

    /**
     * The class for {@code key}, created on first use. Returns null once {@link
     * LockdepConfig#maxClasses()} classes exist (events with a null class are ignored).
     */
    /** As {@link #lockClass(Object, String, LockClass.Kind)}, for a lock of the JDK's own internals. */
    LockClass internalLockClass(Object key, String name, LockClass.Kind kind) {
        LockClass c = lockClass(key, name, kind);
        if (c != null && !c.internal) {
            c.internal = true;
        }
        return c;
    }

    LockClass lockClass(Object key, String name, LockClass.Kind kind) {
        LockClass cls = classesByKey.get(key);
        if (cls != null) {
            return cls;
        }
        synchronized (lock) {
            cls = classesByKey.get(key);
            if (cls != null) {
                return cls;
            }
            if (classes.size() < config.maxClasses()) {
                int id = nextClassId.incrementAndGet();
                cls = new LockClass(
                        id,
                        Objects.requireNonNull(name, "name"),
                        Objects.requireNonNull(kind, "kind"),
                        HeldLocks.mix(id));
                cls.key(key);
                classes.add(cls);
                order.add(cls);
                classesByKey.put(key, cls);
                return cls;
            }
        }
        reporter.notice("MAX_LOCKDEP_KEYS too low: " + config.maxClasses()
                + " lock classes exist; locks of new classes are no longer tracked");
        return null;
    }

    /**
     * Whether every path {@code from ->* to} (which, with the new dependency taken under
     * {@code gates}, closes a cycle) keeps one of {@code gates} held on each of its dependencies,
     * so a single gate lock serialises the whole cycle. A breadth-first search over (class, which
     * gates some dependency so far was taken without): a path that has escaped every gate makes the
     * cycle a real one. At most 16 gates are considered. Graph lock held.
     */
    boolean gatedCycle(Object[] gates, LockClass from, LockClass to, long searcher) {
        int k = Math.min(gates.length, 16);
        if (k == 0) {
            return false;
        }
        int full = (1 << k) - 1;
        HashMap<LockClass, List<Integer>> seen = new HashMap<>();
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
                if (!e.visibleTo(searcher)) {
                    continue;
                }
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
     * Only the dependencies {@code searcher} (a thread id) may combine with are passed over: the
     * shared ones and its own private ones ({@link Edge#visibleTo}). Graph lock held.
     */
    List<Edge> strongPath(LockClass from, int fromRead, LockClass target, int targetRead, long searcher) {
        int generation = ++bfsGeneration;
        ArrayList<LockClass> nodes = new ArrayList<>();
        ArrayList<Edge> via = new ArrayList<>();
        int[] parent = new int[16];
        boolean[] onlyXr = new boolean[16];
        nodes.add(from);
        via.add(null);
        parent[0] = -1;
        onlyXr[0] = fromRead == Lockdep.RECURSIVE_READ;
        from.bfsGeneration = generation;
        for (int head = 0; head < nodes.size(); head++) {
            LockClass cur = nodes.get(head);
            boolean curOnlyXr = onlyXr[head];
            for (int k = 0; k < cur.outCount; k++) {
                Edge e = cur.out[k];
                if (!e.visibleTo(searcher)) {
                    continue; // private to another thread: nothing else could hold its lock then
                }
                int dep = e.dep;
                if (curOnlyXr) {
                    dep &= ~Edge.DEP_S_MASK; // -(*R)-> then -(S*)-> is not a strong path
                }
                if (dep == 0) {
                    continue;
                }
                boolean childOnlyXr = (dep & Edge.DEP_N_MASK) == 0;
                LockClass next = e.to;
                if (next == target && (targetRead == Lockdep.WRITE || !childOnlyXr)) {
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
                if (next.signal) {
                    continue; // a signal, not a lock (a handed-off semaphore): nothing waits through it
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

    /** Whether every class of the cycle {@code prev -> next ->* prev} is one of the JDK's internal locks. */
    static boolean internalOnly(LockClass prev, LockClass next, List<Edge> path) {
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

    int classCount() {
        synchronized (lock) {
            return classes.size();
        }
    }

    int edgeCount() {
        synchronized (lock) {
            return edgeCount;
        }
    }

    /** Whether the dependency {@code from -> to} is recorded. */
    boolean hasDependency(LockClass from, LockClass to) {
        synchronized (lock) {
            return from.edgeTo(to) != null;
        }
    }

    /**
     * A copy of every dependency judged, in the order they were first seen: the graph's, and
     * those that closed a reported cycle ({@link Edge#closesCycle()}).
     */
    List<Edge> dependencies() {
        List<Edge> all = new ArrayList<>();
        synchronized (lock) {
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
    List<LockClass> classes() {
        synchronized (lock) {
            return List.copyOf(classes);
        }
    }

    /** The recorded dependency {@code from -> to} (in the graph, or one that closed a reported cycle), or null. */
    Edge edgeBetween(LockClass from, LockClass to) {
        synchronized (lock) {
            Edge e = from.edgeTo(to);
            return e != null ? e : closing.get(closingKey(from, to));
        }
    }

    /** Whether the topological order still holds for every dependency (tests). */
    boolean orderConsistent() {
        synchronized (lock) {
            return order.consistent(classes);
        }
    }

    /** Whether the topological order is still in use (no cycle through recursive reads yet). */
    boolean orderValid() {
        synchronized (lock) {
            return order.isValid();
        }
    }

    /**
     * Gives {@code cls} a qualified name (two Java classes of one name from two class loaders):
     * reports made from now on use it.
     */
    void renameClass(LockClass cls, String name) {
        synchronized (lock) {
            cls.rename(Objects.requireNonNull(name, "name"));
        }
    }

    /**
     * Records the dependency kind {@code bit} on a known cycle-closing dependency
     * {@code from -> to}; false when none is known yet. Graph lock held.
     */
    boolean mergeClosing(LockClass from, LockClass to, int bit) {
        Edge known = closing.get(closingKey(from, to));
        if (known == null) {
            return false;
        }
        known.dep |= bit;
        return true;
    }

    /**
     * Keeps a dependency judged to close a cycle, for the report's graph (it is not added to the
     * searched graph, which stays acyclic). Graph lock held.
     */
    void keepClosing(
            LockClass from,
            LockClass to,
            int bit,
            String thread,
            String[] instances,
            StackTraceElement[] stack,
            StackTraceElement[] fromStack) {
        if (closing.size() < config.maxEdges()) {
            Edge e = new Edge(from, to, bit, thread, instances[0], instances[1], stack, fromStack, ++edgeSequence);
            e.closesCycle = true;
            closing.put(closingKey(from, to), e);
        }
    }

    private static long closingKey(LockClass from, LockClass to) {
        return (long) from.id << 32 | (to.id & 0xFFFFFFFFL);
    }

    /**
     * {@code check_prev_add}'s insertion: the new dependency {@code from -> to} of kind
     * {@code bit}, first taken by {@code thread} on the objects {@code instances} (their names:
     * held, taken) at {@code stack} (the held lock's own stack is {@code fromStack}) under the
     * exclusively held {@code gates}. False, with one notice, once
     * {@link LockdepConfig#maxEdges()} dependencies exist (MAX_LOCKDEP_ENTRIES). Graph lock held.
     */
    boolean addDependency(
            LockClass from,
            LockClass to,
            int bit,
            String thread,
            String[] instances,
            StackTraceElement[] stack,
            StackTraceElement[] fromStack,
            Object[] gates,
            long tid,
            long occurrence,
            Object lock) {
        if (edgeCount >= config.maxEdges()) {
            full = true;
            reporter.notice("MAX_LOCKDEP_ENTRIES too low: " + config.maxEdges()
                    + " dependencies recorded; new dependencies are no longer validated");
            return false;
        }
        Edge added = new Edge(from, to, bit, thread, instances[0], instances[1], stack, fromStack, ++edgeSequence);
        added.setGates(gates);
        added.tid = tid;
        if (occurrence != 0) {
            added.firstPrivately(occurrence, lock);
            to.privateIn.add(added);
            to.hasPrivateIn = true;
        }
        from.addEdge(added);
        order.added(from, to);
        edgeCount++;
        return true;
    }

    /** Whether the dependency cap was reached: no dependency is added or validated any more. */
    boolean isFull() {
        return full;
    }

    /**
     * Whether {@code to} is placed after {@code from} in the topological order, so no path
     * {@code from ->* to} exists and no search is needed. Graph lock held.
     */
    boolean unreachable(LockClass from, LockClass to) {
        return order.unreachable(from, to);
    }
}
