package io.jlockdep.agent.engine;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders instances of one lock class that are nested without a nest context: Java has no nest
 * annotations, so two accounts of one class locked as {@code a1 -> a2} by one thread and
 * {@code a2 -> a1} by another is the only evidence of a deadlock between same-class locks, and
 * {@code a1 -> a2} everywhere is consistent and must stay silent. This is the dynamic
 * counterpart of the kernel's {@code lock_set_cmp_fn}.
 *
 * <p>Instances are weakly referenced: an instance that is collected can no longer deadlock, and
 * its node is expunged. All methods run under the engine's graph lock.
 */
final class InstanceOrder {

    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    private final Map<Key, Node> nodes = new HashMap<>();
    private int edges;

    /** A weak, identity-compared key. */
    private static final class Key extends WeakReference<Object> {
        final int hash;

        Key(Object referent, ReferenceQueue<Object> q) {
            super(referent, q);
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (!(o instanceof Key)) {
                return false;
            }
            Object mine = get();
            return mine != null && mine == ((Key) o).get();
        }
    }

    static final class Node {
        final Key key;
        final List<Link> after = new ArrayList<>(2);
        /**
         * Dependencies from this instance that closed a reported cycle: kept for the deadlock
         * watchdog's history, never searched (the order stays acyclic, each cycle reported once).
         */
        final List<Link> closing = new ArrayList<>(0);

        Node(Key key) {
            this.key = key;
        }

        /** The instance, or null once collected. */
        Object instance() {
            return key.get();
        }
    }

    /** {@code from} was held when {@code to} was taken, first by {@code threadName} at {@code stack}. */
    static final class Link {
        final Node to;
        final String threadName;
        final StackTraceElement[] stack;

        Link(Node to, String threadName, StackTraceElement[] stack) {
            this.to = to;
            this.threadName = threadName;
            this.stack = stack;
        }
    }

    int edgeCount() {
        return edges;
    }

    private Node node(Object instance, boolean create) {
        Key probe = new Key(instance, null);
        Node n = nodes.get(probe);
        if (n == null && create) {
            Key key = new Key(instance, queue);
            n = new Node(key);
            nodes.put(key, n);
        }
        return n;
    }

    private Link linkBetween(Node from, Node to) {
        for (Link l : from.after) {
            if (l.to == to) {
                return l;
            }
        }
        return null;
    }

    /** Whether {@code from -> to} is already known. */
    boolean hasEdge(Object from, Object to) {
        Node a = node(from, false);
        Node b = node(to, false);
        return a != null && b != null && linkBetween(a, b) != null;
    }

    /**
     * The links of a path {@code from ->* to} if there is one (BFS), or null.
     */
    List<Link> path(Object from, Object to) {
        Node start = node(from, false);
        Node target = node(to, false);
        if (start == null || target == null) {
            return null;
        }
        Map<Node, Link> via = new HashMap<>();
        Map<Node, Node> parent = new HashMap<>();
        ArrayDeque<Node> todo = new ArrayDeque<>();
        todo.add(start);
        parent.put(start, start);
        while (!todo.isEmpty()) {
            Node n = todo.poll();
            if (n == target) {
                List<Link> links = new ArrayList<>();
                for (Node cur = target; cur != start; cur = parent.get(cur)) {
                    links.add(0, via.get(cur));
                }
                return links;
            }
            for (Link l : n.after) {
                if (!parent.containsKey(l.to) && l.to.instance() != null) {
                    parent.put(l.to, n);
                    via.put(l.to, l);
                    todo.add(l.to);
                }
            }
        }
        return null;
    }

    /** The first occurrence of {@code from -> to}: recorded, or one that closed a reported cycle; null if neither. */
    Link link(Object from, Object to) {
        Node a = node(from, false);
        Node b = node(to, false);
        if (a == null || b == null) {
            return null;
        }
        Link l = linkBetween(a, b);
        if (l != null) {
            return l;
        }
        for (Link c : a.closing) {
            if (c.to == b) {
                return c;
            }
        }
        return null;
    }

    /** Keeps {@code from -> to}, which closed a reported cycle, for {@link #link} only; within the edge limit. */
    void keepClosing(Object from, Object to, String threadName, StackTraceElement[] stack, int maxEdges) {
        expunge();
        if (edges >= maxEdges || link(from, to) != null) {
            return;
        }
        node(from, true).closing.add(new Link(node(to, true), threadName, stack));
        edges++;
    }

    /** Records {@code from -> to}; false when the edge limit is reached. */
    boolean add(Object from, Object to, String threadName, StackTraceElement[] stack, int maxEdges) {
        expunge();
        Node a = node(from, true);
        Node b = node(to, true);
        if (linkBetween(a, b) != null) {
            return true;
        }
        if (edges >= maxEdges) {
            return false;
        }
        a.after.add(new Link(b, threadName, stack));
        edges++;
        return true;
    }

    private void expunge() {
        Object ref;
        boolean any = false;
        while ((ref = queue.poll()) != null) {
            Node dead = nodes.remove(ref);
            if (dead != null) {
                edges -= dead.after.size() + dead.closing.size();
                any = true;
            }
        }
        if (any) {
            for (Node n : nodes.values()) {
                int before = n.after.size() + n.closing.size();
                n.after.removeIf(l -> l.to.instance() == null);
                n.closing.removeIf(l -> l.to.instance() == null);
                edges -= before - n.after.size() - n.closing.size();
            }
        }
    }
}
