package io.jlockdep.agent.hook;

import io.jlockdep.agent.engine.LockClass;
import java.lang.ref.WeakReference;

/**
 * Which lock class each JDK lock instance belongs to, decided when it was allocated. A weak
 * identity table: a lock the application drops is not kept alive by the agent.
 *
 * <p>Reads are lock-free and allocate nothing: open addressing over a volatile array, probing by
 * identity hash. Writes (one per lock allocation) take the table's monitor. A lock is registered
 * inside its constructor, before the application can publish it, so any thread that can see the
 * lock also sees its entry.
 *
 * <p>Entries go as their locks die: each entry is enqueued when its lock is collected, writes
 * count the dead ones, and once they make a quarter of the entries the table is rebuilt into a
 * new array sized for the live ones (it shrinks too), which readers see whole or not at all. An
 * entry is a weak reference with its hash, class and name: about 40 bytes per live lock, plus at
 * most one dead entry per three live ones. (Issue 27: 20 million short-lived
 * monitors used to keep millions of dead entries, each with an {@code AtomicInteger}, until the
 * table grew again, and ran a correct program out of memory.)
 */
final class LockTable {

    /**
     * A registered lock: weakly its key, strongly its class and display name. Shared from the
     * start ({@link #privateTo}); a JDK lock made by a thread is a {@link MadeLock}. (The table
     * of monitors holds millions of these: no field more than it needs.)
     */
    static class Entry extends WeakReference<Object> {
        final int hash;
        final LockClass cls;
        final String name;

        Entry(Object key, int hash, LockClass cls, String name, java.lang.ref.ReferenceQueue<Object> queue) {
            super(key, queue);
            this.hash = hash;
            this.cls = cls;
            this.name = name;
        }

        /** The id of the thread that made the lock, or 0 when it is shared from the start. */
        long creator() {
            return 0;
        }

        /** See {@link MadeLock#privateTo}: 0, shared. */
        int privateTo(long tid) {
            return 0;
        }
    }

    /** A JDK lock made by a thread: private to it until another thread uses it. */
    static final class MadeLock extends Entry {
        private final long creator;
        /** Whether a thread other than its creator has taken it: written once. */
        private volatile boolean shared;

        MadeLock(
                Object key,
                int hash,
                LockClass cls,
                String name,
                long creator,
                java.lang.ref.ReferenceQueue<Object> queue) {
            super(key, hash, cls, name, queue);
            this.creator = creator;
        }

        @Override
        long creator() {
            return creator;
        }

        /**
         * Whether the lock has only ever been used by the thread that made it, {@code tid}, the
         * one taking it now (issue 28: "not yet shared"): 1; 0 when it is shared; -1 when this
         * use by another thread makes it shared, for good (the one write, once). A lock one thread
         * makes and others take is shared from their first use, however few have used it yet:
         * the classic test (a main thread makes two locks, two threads take them in opposite
         * orders) is a cycle from its first run.
         */
        @Override
        int privateTo(long tid) {
            if (shared) {
                return 0;
            }
            if (creator == tid) {
                return 1;
            }
            shared = true;
            return -1;
        }
    }

    private static final int MIN_SIZE = 1024;

    private volatile Entry[] slots = new Entry[MIN_SIZE];
    /** Entries in {@link #slots}, live or dead. */
    private int used;
    /** Entries whose lock was collected since the last rebuild (counted from {@link #collected}). */
    private int dead;

    private final java.lang.ref.ReferenceQueue<Object> collected = new java.lang.ref.ReferenceQueue<>();

    private static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        return h ^ (h >>> 13);
    }

    /** The entry of {@code key}, or null when it was allocated before the agent started. */
    Entry get(Object key) {
        Entry[] s = slots;
        int mask = s.length - 1;
        int i = spread(System.identityHashCode(key)) & mask;
        for (int n = 0; n <= mask; n++) {
            Entry e = s[i];
            if (e == null) {
                return null;
            }
            if (e.get() == key) {
                return e;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    synchronized void put(Object key, LockClass cls, String name) {
        put(key, cls, name, 0);
    }

    /** {@link #put(Object, LockClass, String)}, made by the thread {@code creator} (0: shared from the start). */
    synchronized void put(Object key, LockClass cls, String name, long creator) {
        while (collected.poll() != null) {
            dead++;
        }
        Entry[] s = slots;
        if ((used + 1) * 2 > s.length || (dead * 4 > used && used > MIN_SIZE / 4)) {
            s = rebuild(s);
        }
        int hash = System.identityHashCode(key);
        int mask = s.length - 1;
        int i = spread(hash) & mask;
        while (s[i] != null) {
            if (s[i].get() == key) {
                s[i] = entry(key, hash, cls, name, creator);
                return;
            }
            i = (i + 1) & mask;
        }
        s[i] = entry(key, hash, cls, name, creator);
        used++;
    }

    private Entry entry(Object key, int hash, LockClass cls, String name, long creator) {
        return creator == 0
                ? new Entry(key, hash, cls, name, collected)
                : new MadeLock(key, hash, cls, name, creator, collected);
    }

    /**
     * The entry of {@code key}, registered with {@code cls} now unless a thread did first: the
     * one class an instance keeps for its lifetime (a monitor's, decided at its first acquisition).
     */
    synchronized Entry putIfAbsent(Object key, LockClass cls, String name) {
        Entry known = get(key);
        if (known != null) {
            return known;
        }
        put(key, cls, name);
        return get(key);
    }

    /**
     * Drops collected entries into a new array, sized so that the live entries fill at most a
     * quarter of it: larger or smaller than the old one.
     */
    private Entry[] rebuild(Entry[] old) {
        int live = 0;
        for (Entry e : old) {
            if (e != null && e.get() != null) {
                live++;
            }
        }
        int size = MIN_SIZE;
        while ((live + 1) * 4 > size) {
            size *= 2;
        }
        Entry[] s = new Entry[size];
        int mask = size - 1;
        for (Entry e : old) {
            if (e == null || e.get() == null) {
                continue;
            }
            int i = spread(e.hash) & mask;
            while (s[i] != null) {
                i = (i + 1) & mask;
            }
            s[i] = e;
        }
        used = live;
        dead = 0; // the ones enqueued later may be gone already: they only make the next rebuild early
        slots = s;
        return s;
    }

    /** Live entries (for tests and the held-locks dump). */
    synchronized int size() {
        int n = 0;
        for (Entry e : slots) {
            if (e != null && e.get() != null) {
                n++;
            }
        }
        return n;
    }
}
