package io.jlockdep.scenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.checkerframework.checker.lock.qual.Holding;
import org.checkerframework.checker.lock.qual.LockingFree;
import org.checkerframework.checker.lock.qual.ReleasesNoLocks;

/**
 * Lock contracts written in annotations (issue 18), in each of the four annotation languages and
 * each expression form, used correctly ({@link #clean}) and broken once each ({@link #broken}).
 * The annotation jars are not on the forked JVM's class path: the agent reads the annotations
 * from the class files alone. Error Prone's own GuardedBy check would refuse the broken accesses
 * at compile time, so they carry {@code @SuppressWarnings("GuardedBy")}: these are the bugs the
 * static checkers can be told to miss, or cannot see.
 */
final class Guards {

    private Guards() {}

    /** JSR-305, a private lock field. */
    static final class Jsr305Cache {
        private final Object lock = new Object();

        @javax.annotation.concurrent.GuardedBy("lock")
        private int size;

        void put() {
            synchronized (lock) {
                size++;
            }
        }

        @SuppressWarnings("GuardedBy")
        int sizeUnlocked() {
            return size; // guard/unguarded-read
        }
    }

    /** JCIP, {@code this}, a long field (a two-slot write). */
    static final class JcipCounter {
        @net.jcip.annotations.GuardedBy("this")
        private long count;

        synchronized void increment() {
            count++;
        }

        @SuppressWarnings("GuardedBy")
        void reset() {
            count = 0; // guard/unguarded-write
        }
    }

    /** Error Prone, a lock from a method, a read-write lock; a protected field its subclass writes. */
    static class Table {
        private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();

        ReentrantReadWriteLock getLock() {
            return rw;
        }

        @com.google.errorprone.annotations.concurrent.GuardedBy("getLock()")
        protected String value = "";

        String read() {
            rw.readLock().lock();
            try {
                return value;
            } finally {
                rw.readLock().unlock();
            }
        }

        void write(String v) {
            rw.writeLock().lock();
            try {
                value = v;
            } finally {
                rw.writeLock().unlock();
            }
        }

        @SuppressWarnings("GuardedBy")
        void writeUnderReadLock(String v) {
            rw.readLock().lock();
            try {
                value = v; // guard/unguarded-write: held, but only for reading
            } finally {
                rw.readLock().unlock();
            }
        }
    }

    /** A subclass writing its parent's guarded field. */
    static final class SubTable extends Table {
        void writeLocked(String v) {
            getLock().writeLock().lock();
            try {
                value = v;
            } finally {
                getLock().writeLock().unlock();
            }
        }

        @SuppressWarnings("GuardedBy")
        void writeUnlocked(String v) {
            value = v; // guard/unguarded-write, through the subclass
        }
    }

    /** A lambda and a nested class touching a private guarded field. */
    static final class Listeners {
        private final ReentrantLock lock = new ReentrantLock();

        @javax.annotation.concurrent.GuardedBy("lock")
        private int count;

        Runnable lockedTask() {
            return () -> {
                lock.lock();
                try {
                    count++;
                } finally {
                    lock.unlock();
                }
            };
        }

        @SuppressWarnings("GuardedBy")
        Runnable unlockedTask() {
            return () -> count++; // guard/unguarded-read, in a lambda
        }

        final class Peeker {
            @SuppressWarnings("GuardedBy")
            int peek() {
                return count; // guard/unguarded-read, from a nest-mate
            }
        }
    }

    /** A class literal and another class's static field. */
    static final class Registry {
        static final Object LOCK = new Object();

        @javax.annotation.concurrent.GuardedBy("Registry.LOCK")
        static int entries;

        @net.jcip.annotations.GuardedBy("Registry.class")
        static int lookups;

        static void register() {
            synchronized (LOCK) {
                entries++;
            }
            synchronized (Registry.class) {
                lookups++;
            }
        }

        @SuppressWarnings("GuardedBy")
        static int lookupsUnlocked() {
            return lookups; // guard/unguarded-read
        }
    }

    /** The Checker Framework: a type annotation, @Holding, @LockingFree, @ReleasesNoLocks. */
    static final class CheckerPool {
        final ReentrantLock lock = new ReentrantLock();

        @org.checkerframework.checker.lock.qual.GuardedBy("lock")
        Object slot;

        @Holding("lock")
        void evict() {
            slot = null;
        }

        @LockingFree
        int size() {
            return 1;
        }

        @LockingFree
        int sizeLocking() {
            lock.lock(); // guard/acquired-lock
            try {
                return 1;
            } finally {
                lock.unlock();
            }
        }

        @ReleasesNoLocks
        void peek() {
            ReentrantLock own = new ReentrantLock();
            own.lock();
            own.unlock();
        }

        @ReleasesNoLocks
        void peekReleasing() {
            lock.unlock(); // guard/released-lock
        }

        void evictLocked() {
            lock.lock();
            try {
                evict();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Error Prone's @GuardedBy on a method, with its lock: the caller must hold it. */
    static final class Journal {
        private final Object mutex = new Object();

        @com.google.errorprone.annotations.concurrent.GuardedBy("mutex")
        private void flushLocked() {}

        void flush() {
            synchronized (mutex) {
                flushLocked();
            }
        }

        @SuppressWarnings("GuardedBy")
        void flushUnlocked() {
            flushLocked(); // guard/not-holding
        }
    }

    /** {@code itself}: the field's own object is its lock. */
    static final class Names {
        @net.jcip.annotations.GuardedBy("itself")
        private List<String> names = new ArrayList<>();

        void add(String n) {
            synchronized (names) {
                names.add(n);
            }
        }

        @SuppressWarnings("GuardedBy")
        int sizeUnlocked() {
            return names.size(); // guard/unguarded-read
        }
    }

    /** Expressions the agent cannot resolve: each a notice when the class loads. */
    @SuppressWarnings("GuardedBy")
    static final class Broken {
        @javax.annotation.concurrent.GuardedBy("lookup(key)")
        int x;

        @javax.annotation.concurrent.GuardedBy("missing")
        int y;
    }

    /** A lock field inherited from a superclass, named {@code this.lock}. */
    static class Base {
        protected final Object lock = new Object();
    }

    static final class Inheriting extends Base {
        @javax.annotation.concurrent.GuardedBy("this.lock")
        private int hits;

        @javax.annotation.concurrent.GuardedBy("lock")
        private final List<String> log = new ArrayList<>(); // final, but a mutable list: checked

        void hit() {
            synchronized (lock) {
                hits++;
            }
        }

        @SuppressWarnings("GuardedBy")
        int finalFieldUnlocked() {
            return log.size(); // reported: a final field holding a mutable object is checked, as JCIP and Error Prone
            // have it
        }

        @SuppressWarnings("GuardedBy")
        int hitsUnlocked() {
            return hits; // guard/unguarded-read
        }
    }

    /**
     * A static lock method, a nested class named from outside it, a static initialiser. Error
     * Prone cannot resolve {@code Guards.Registry.class}; the agent can.
     */
    @SuppressWarnings("GuardedBy")
    static final class Statics {
        private static final Object LOCK = new Object();

        static Object lock() {
            return LOCK;
        }

        @javax.annotation.concurrent.GuardedBy("lock()")
        static int opened = 1; // written by the static initialiser: exempt

        @com.google.errorprone.annotations.concurrent.GuardedBy("Guards.Registry.class")
        static long stamp;

        static void open() {
            int now;
            synchronized (lock()) {
                now = ++opened;
            }
            synchronized (Registry.class) {
                stamp = now;
            }
        }

        @SuppressWarnings("GuardedBy")
        static void stampUnlocked() {
            stamp = 0; // guard/unguarded-write, a two-slot static
        }
    }

    /** Loaded before its superclass: the subclass's class file is read first. */
    static class FirstBase {
        final ReentrantLock lock = new ReentrantLock();

        @org.checkerframework.checker.lock.qual.GuardedBy("lock")
        protected int n;
    }

    static final class LoadedFirst extends FirstBase {
        void add() {
            lock.lock();
            try {
                n++;
            } finally {
                lock.unlock();
            }
        }

        @SuppressWarnings("GuardedBy")
        void addUnlocked() {
            n--; // guard/unguarded-read (then the write)
        }
    }

    /** The Checker Framework's @GuardedBy with two locks: both must be held. */
    static final class TwoLocks {
        final Object a = new Object();
        final Object b = new Object();

        @org.checkerframework.checker.lock.qual.GuardedBy({"a", "b"})
        Object both;

        void set() {
            synchronized (a) {
                synchronized (b) {
                    both = this;
                }
            }
        }

        @SuppressWarnings("GuardedBy")
        void setHoldingOnlyA() {
            synchronized (a) {
                both = null; // guard/unguarded-write: 'b'
            }
        }
    }

    /** The forms the other scenarios do not use, kept and broken. */
    static void forms() {
        LoadedFirst first = new LoadedFirst(); // first: its class is defined before FirstBase's
        first.add();
        first.addUnlocked();
        Inheriting inheriting = new Inheriting();
        inheriting.hit();
        inheriting.finalFieldUnlocked();
        inheriting.hitsUnlocked();
        Statics.open();
        Statics.stampUnlocked();
        TwoLocks two = new TwoLocks();
        two.set();
        two.setHoldingOnlyA();
    }

    /** A constructor that calls a guarded method, which writes guarded fields: the object is not shared yet. */
    static final class Built {
        private final Object lock = new Object();

        @javax.annotation.concurrent.GuardedBy("lock")
        private int generation;

        Built() {
            reset();
        }

        @com.google.errorprone.annotations.concurrent.GuardedBy("lock")
        private void reset() {
            generation = 0;
        }

        void renew() {
            synchronized (lock) {
                reset();
                generation++;
            }
        }
    }

    /** Every contract kept: the agent must say nothing. */
    static void clean() {
        Jsr305Cache cache = new Jsr305Cache();
        cache.put();
        JcipCounter counter = new JcipCounter();
        counter.increment();
        Table table = new Table();
        table.write("a");
        table.read();
        SubTable sub = new SubTable();
        sub.writeLocked("b");
        Listeners listeners = new Listeners();
        listeners.lockedTask().run();
        Registry.register();
        CheckerPool pool = new CheckerPool();
        pool.evictLocked();
        pool.size();
        pool.lock.lock();
        try {
            pool.peek();
        } finally {
            pool.lock.unlock();
        }
        new Journal().flush();
        new Names().add("x");
        new Built().renew();
    }

    /** Each contract broken once. */
    @SuppressWarnings("GuardedBy")
    static void broken() {
        new Jsr305Cache().sizeUnlocked();
        new JcipCounter().reset();
        new Table().writeUnderReadLock("c");
        new SubTable().writeUnlocked("d");
        Listeners listeners = new Listeners();
        listeners.unlockedTask().run();
        listeners.new Peeker().peek();
        Registry.lookupsUnlocked();
        CheckerPool pool = new CheckerPool();
        pool.evict(); // guard/not-holding
        pool.sizeLocking();
        pool.lock.lock();
        pool.peekReleasing();
        new Journal().flushUnlocked();
        new Names().sizeUnlocked();
        Broken b = new Broken();
        b.x = 1;
    }
}
