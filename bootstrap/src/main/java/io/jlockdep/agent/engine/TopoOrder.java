package io.jlockdep.agent.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * An incremental topological order of the lock classes, after Pearce and Kelly ("A dynamic
 * topological sort algorithm for directed acyclic graphs", JEA 2006). It makes the common case
 * of a new dependency free: every dependency goes from a lower position to a higher one, so for a
 * new dependency {@code prev -> next} with {@code pos(prev) < pos(next)} no path
 * {@code next ->* prev} can exist and the cycle search is skipped. Otherwise the search runs
 * (pruned to positions between the two), and if the dependency is added the positions of the
 * affected region — what {@code next} reaches below {@code pos(prev)}, and what reaches
 * {@code prev} above {@code pos(next)} — are reassigned.
 *
 * <p>The graph of dependencies stays acyclic except through recursive-read locks, whose cycles
 * are not deadlocks and so are added; when such a cycle appears no order exists, and the order
 * switches itself off for good: every search is then a full one, as in lockdep. Guarded by the
 * engine's graph lock.
 */
final class TopoOrder {

    private LockClass[] byPosition = new LockClass[256];
    private int size;
    private boolean valid = true;
    private int mark;

    /** A new class goes last: with no dependency yet, any position is right. */
    void add(LockClass c) {
        if (size == byPosition.length) {
            byPosition = Arrays.copyOf(byPosition, size * 2);
        }
        c.position = size;
        byPosition[size++] = c;
    }

    boolean isValid() {
        return valid;
    }

    /** Whether no path {@code from ->* to} can exist (so no cycle search is needed). */
    boolean unreachable(LockClass from, LockClass to) {
        return valid && from.position > to.position;
    }

    /** Whether a search from below {@code bound} may skip {@code c}: nothing it reaches can reach the bound's class. */
    boolean beyond(LockClass c, LockClass bound) {
        return valid && c.position > bound.position;
    }

    /** The dependency {@code x -> y} was added: restore the order. */
    void added(LockClass x, LockClass y) {
        if (!valid || x.position < y.position) {
            return;
        }
        int lower = y.position;
        int upper = x.position;
        int m = ++mark;
        List<LockClass> forward = new ArrayList<>();
        ArrayList<LockClass> stack = new ArrayList<>();
        stack.add(y);
        y.topoMark = m;
        while (!stack.isEmpty()) {
            LockClass c = stack.remove(stack.size() - 1);
            forward.add(c);
            for (int i = 0; i < c.outCount; i++) {
                LockClass n = c.out[i].to;
                if (n == x) {
                    valid = false; // a cycle (through recursive reads): no topological order any more
                    return;
                }
                if (n.topoMark != m && n.position < upper) {
                    n.topoMark = m;
                    stack.add(n);
                }
            }
        }
        int mb = ++mark;
        List<LockClass> backward = new ArrayList<>();
        stack.add(x);
        x.topoMark = mb;
        while (!stack.isEmpty()) {
            LockClass c = stack.remove(stack.size() - 1);
            backward.add(c);
            for (int i = 0; i < c.inCount; i++) {
                LockClass n = c.in[i].from;
                if (n.topoMark != mb && n.position > lower) {
                    n.topoMark = mb;
                    stack.add(n);
                }
            }
        }
        Comparator<LockClass> byPos = Comparator.comparingInt(c -> c.position);
        forward.sort(byPos);
        backward.sort(byPos);
        int[] slots = new int[forward.size() + backward.size()];
        int k = 0;
        for (LockClass c : backward) {
            slots[k++] = c.position;
        }
        for (LockClass c : forward) {
            slots[k++] = c.position;
        }
        Arrays.sort(slots);
        k = 0;
        for (LockClass c : backward) {
            place(c, slots[k++]);
        }
        for (LockClass c : forward) {
            place(c, slots[k++]);
        }
    }

    private void place(LockClass c, int position) {
        c.position = position;
        byPosition[position] = c;
    }

    /** Checks the invariant (tests): every dependency goes up. */
    boolean consistent(List<LockClass> classes) {
        if (!valid) {
            return true;
        }
        for (LockClass c : classes) {
            if (byPosition[c.position] != c) {
                return false;
            }
            for (int i = 0; i < c.outCount; i++) {
                if (c.out[i].to.position <= c.position) {
                    return false;
                }
            }
        }
        return true;
    }
}
