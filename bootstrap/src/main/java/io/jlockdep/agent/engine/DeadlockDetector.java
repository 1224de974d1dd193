package io.jlockdep.agent.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds real deadlocks: threads each waiting for a lock another of them holds. Where the rest of
 * the engine predicts, this observes: it is the JVM counterpart of the kernel's hung-task
 * detector, with lockdep's knowledge of who holds what.
 *
 * <p>A scan reads every thread's held-lock stack without stopping it: the acquisition it has
 * announced and not completed is what it waits for, the completed ones are what it holds. From
 * these it builds the wait-for graph — T waits for U when T waits for a lock U holds in a
 * conflicting mode (a writer waits for any holder, a reader for a writer, and a reader of a
 * ReentrantReadWriteLock also for a writer queued before it) — and looks for cycles. Because the
 * stacks are read while threads run, a cycle is only reported when the next scan finds the very
 * same waits (same threads, same acquisition numbers): a deadlock does not move, a race does.
 *
 * <p>ww_mutex waits resolve themselves: when every wait of a cycle is a ww lock wanted under an
 * acquire context and held under another context of the same ww class, wait-die or wound-wait
 * makes one of them back off, so such a cycle is not a deadlock. A cycle with any other wait in
 * it is (a wounded context only notices when it next waits for a ww lock).
 *
 * <p>Each deadlock is reported once, as {@code lockdep/deadlock}, naming every thread, the lock it
 * waits for and where it is, the locks it holds and where each was taken, and for each wait the
 * dependency that earlier acquisitions recorded between the lock held and the lock wanted.
 */
public final class DeadlockDetector {

    private final Lockdep engine;
    private Set<String> previous = Set.of();
    private final Set<String> reported = new HashSet<>();
    /** The threads of the cycles the last scan saw, reported or still to be confirmed. */
    private Set<Long> inCycles = Set.of();
    /** Every thread named in a deadlock reported so far. */
    private final Set<Long> reportedThreads = new HashSet<>();

    /**
     * Whether this detector accounts for a deadlock among {@code threadIds} (the JVM's own
     * finding): all of them are in a cycle it saw in its last scan, or in one it reported.
     */
    public boolean accountsFor(Set<Long> threadIds) {
        for (Long id : threadIds) {
            if (!inCycles.contains(id) && !reportedThreads.contains(id)) {
                return false;
            }
        }
        return true;
    }

    public DeadlockDetector(Lockdep engine) {
        this.engine = engine;
    }

    /** One thread's state as a scan saw it. */
    private static final class Snapshot {
        final ThreadState ts;
        Object waitsFor;
        LockClass waitsClass;
        int waitsMode;
        Object waitsCtx;
        long waitsSeq;
        final List<HeldLock> holds = new ArrayList<>();

        Snapshot(ThreadState ts) {
            this.ts = ts;
        }
    }

    /** One wait of a cycle: {@code waiter} waits for {@code lock}, which {@code holder} holds as {@code held}. */
    private record Wait(Snapshot waiter, Snapshot holder, HeldLock held) {}

    /**
     * Scans once; reports the deadlocks seen in this scan and the one before.
     *
     * @return the number of deadlocks reported by this scan
     */
    public int scan() {
        List<Snapshot> threads = snapshot();
        Map<Snapshot, List<Wait>> waits = waitsFor(threads);
        Set<String> current = new HashSet<>();
        Set<Long> threadsInCycles = new HashSet<>();
        int count = 0;
        for (List<Wait> cycle : cycles(threads, waits)) {
            if (resolvedByWw(cycle)) {
                continue;
            }
            TreeSet<String> parts = new TreeSet<>();
            for (Wait w : cycle) {
                parts.add(w.waiter.ts.thread.getId() + ":" + w.waiter.waitsSeq);
                threadsInCycles.add(w.waiter.ts.thread.getId());
            }
            String key = parts.toString();
            current.add(key);
            if (previous.contains(key) && reported.add(key)) {
                engine.reportDeadlock(describe(cycle), cycle.get(0).waiter.ts);
                for (Wait w : cycle) {
                    reportedThreads.add(w.waiter.ts.thread.getId());
                }
                count++;
            }
        }
        previous = current;
        inCycles = threadsInCycles;
        return count;
    }

    private List<Snapshot> snapshot() {
        List<Snapshot> out = new ArrayList<>();
        for (ThreadState ts : engine.threadStates()) {
            Snapshot s = new Snapshot(ts);
            HeldLock[] held = ts.held;
            int depth = Math.min(ts.depth, held.length);
            for (int i = 0; i < depth; i++) {
                HeldLock h = held[i];
                Object instance = h.instance;
                if (instance == null || h.cls == null) {
                    continue;
                }
                if (h.pending) {
                    s.waitsFor = instance;
                    s.waitsClass = h.cls;
                    s.waitsMode = h.read;
                    s.waitsCtx = h.nest;
                    s.waitsSeq = h.seq;
                } else {
                    HeldLock copy = new HeldLock();
                    copy.copyFrom(h);
                    s.holds.add(copy);
                }
            }
            if (s.waitsFor != null || !s.holds.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private static Map<Snapshot, List<Wait>> waitsFor(List<Snapshot> threads) {
        Map<Snapshot, List<Wait>> edges = new LinkedHashMap<>();
        for (Snapshot t : threads) {
            if (t.waitsFor == null) {
                continue;
            }
            List<Wait> out = new ArrayList<>();
            boolean sharedOnly = true;
            for (Snapshot u : threads) {
                if (u == t) {
                    continue;
                }
                for (HeldLock h : u.holds) {
                    if (h.instance != t.waitsFor) {
                        continue;
                    }
                    if (t.waitsMode == Lockdep.WRITE || h.read == Lockdep.WRITE) {
                        out.add(new Wait(t, u, h));
                    }
                    sharedOnly &= h.read != Lockdep.WRITE;
                }
            }
            if (out.isEmpty() && sharedOnly && t.waitsMode == Lockdep.READ) {
                // a ReentrantReadWriteLock reader queues behind a writer that waits for the lock
                for (Snapshot u : threads) {
                    if (u != t && u.waitsFor == t.waitsFor && u.waitsMode == Lockdep.WRITE) {
                        out.add(new Wait(t, u, null));
                    }
                }
            }
            if (!out.isEmpty()) {
                edges.put(t, out);
            }
        }
        return edges;
    }

    /** Elementary cycles of the wait-for graph, each once (a thread waits for one lock, so they are few). */
    private static List<List<Wait>> cycles(List<Snapshot> threads, Map<Snapshot, List<Wait>> edges) {
        List<List<Wait>> found = new ArrayList<>();
        Set<Set<Snapshot>> seen = new HashSet<>();
        for (Snapshot start : threads) {
            dfs(start, start, edges, new ArrayList<>(), new HashSet<>(), found, seen);
        }
        return found;
    }

    private static void dfs(
            Snapshot start,
            Snapshot at,
            Map<Snapshot, List<Wait>> edges,
            List<Wait> path,
            Set<Snapshot> onPath,
            List<List<Wait>> found,
            Set<Set<Snapshot>> seen) {
        if (path.size() > 64) {
            return;
        }
        onPath.add(at);
        for (Wait w : edges.getOrDefault(at, List.of())) {
            path.add(w);
            if (w.holder == start) {
                Set<Snapshot> members = new HashSet<>();
                path.forEach(p -> members.add(p.waiter));
                if (seen.add(members)) {
                    found.add(new ArrayList<>(path));
                }
            } else if (!onPath.contains(w.holder)) {
                dfs(start, w.holder, edges, path, onPath, found, seen);
            }
            path.remove(path.size() - 1);
        }
        onPath.remove(at);
    }

    /** Whether every wait is a ww lock wanted under a context and held under one of the same class. */
    private static boolean resolvedByWw(List<Wait> cycle) {
        for (Wait w : cycle) {
            if (w.held == null
                    || w.waiter.waitsClass.kind() != LockClass.Kind.WW_MUTEX
                    || w.waiter.waitsCtx == null
                    || w.held.nest == null
                    || w.held.cls != w.waiter.waitsClass) {
                return false;
            }
        }
        return true;
    }

    private String describe(List<Wait> cycle) {
        StringBuilder b = new StringBuilder();
        b.append(cycle.size()).append(" threads wait for each other and none can go on:\n");
        for (Wait w : cycle) {
            b.append("\n")
                    .append(w.waiter.ts.name())
                    .append(" waits for ")
                    .append(engine.config().instanceNamer().apply(w.waiter.waitsFor))
                    .append(" (")
                    .append(w.waiter.waitsClass.name())
                    .append("), held by ")
                    .append(w.holder.ts.name())
                    .append(", at:\n");
            StackTraceElement[] now = w.waiter.ts.thread.getStackTrace();
            for (int i = 0; i < Math.min(now.length, 12); i++) {
                b.append("       ").append(now[i]).append('\n');
            }
            b.append(" holding ").append(w.waiter.holds.size()).append(" lock(s):\n");
            int k = 0;
            for (HeldLock h : w.waiter.holds) {
                b.append("  #")
                        .append(k++)
                        .append(": (")
                        .append(h.cls.name())
                        .append(") ")
                        .append(engine.config().instanceNamer().apply(h.instance));
                if (h.stack != null && h.stack.length > 0) {
                    b.append(", taken at: ").append(h.stack[0]);
                }
                b.append('\n');
            }
        }
        b.append("\nthe dependency history of this cycle (each wait closes a dependency recorded earlier):\n");
        for (Wait w : cycle) {
            // the holder holds the lock the waiter wants, and waits for the next one
            Snapshot holder = w.holder;
            if (w.held == null || holder.waitsClass == null) {
                continue;
            }
            b.append("\n-> ").append(w.held.cls.name()).append(" -> ").append(holder.waitsClass.name());
            String thread;
            StackTraceElement[] st;
            if (w.held.cls == holder.waitsClass) {
                // two instances of one class: the order of these two instances, as InstanceOrder kept it
                b.append(" (")
                        .append(engine.config().instanceNamer().apply(w.held.instance))
                        .append(" -> ")
                        .append(engine.config().instanceNamer().apply(holder.waitsFor))
                        .append(')');
                InstanceOrder.Link l = engine.instanceLink(w.held.instance, holder.waitsFor);
                thread = l == null ? null : l.threadName;
                st = l == null ? null : l.stack;
            } else {
                Edge e = engine.edgeBetween(w.held.cls, holder.waitsClass);
                thread = e == null ? null : e.threadName();
                st = e == null ? null : e.stack;
            }
            b.append(":\n");
            if (thread == null) {
                b.append("       (not recorded: one of them was taken by a trylock or is not tracked)\n");
            } else {
                b.append("       [first taken by ").append(thread).append("]\n");
                for (int i = 0; st != null && i < Math.min(st.length, 12); i++) {
                    b.append("       ").append(st[i]).append('\n');
                }
            }
        }
        return b.toString();
    }
}
