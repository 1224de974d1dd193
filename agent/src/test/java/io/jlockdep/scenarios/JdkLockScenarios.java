package io.jlockdep.scenarios;

import io.jlockdep.resv.ReservationLock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The programs of {@link Scenarios} about the JDK's own locks and the watchdog: real deadlocks,
 * long waits, the held-locks MBean, StampedLock, Semaphore, gate locks, ConcurrentHashMap's bin
 * locks, the synchronized wrappers and the JDK under load. Registered by name in {@link Scenarios}.
 */
final class JdkLockScenarios {

    private JdkLockScenarios() {}

    /**
     * {@code n} daemon threads that really deadlock (each holds its lock, then waits for the next
     * one's); main waits until the watchdog has reported it, then ends (the daemons stay blocked).
     */
    static void realDeadlock(int n) {
        ReentrantLock[] locks = {new ReentrantLock(), new ReentrantLock(), new ReentrantLock()};
        CountDownLatch allHoldTheirFirst = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            ReentrantLock first = locks[i];
            ReentrantLock second = locks[(i + 1) % n];
            Thread t = new Thread(
                    () -> {
                        first.lock();
                        allHoldTheirFirst.countDown();
                        try {
                            allHoldTheirFirst.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        second.lock(); // never returns
                    },
                    "philosopher-" + i);
            t.setDaemon(true);
            t.start();
        }
        waitForReport("lockdep/deadlock", 30_000);
        System.out.println("deadlock reported");
    }

    /**
     * A real deadlock through monitors jlockdep does not track (the JDK's own: two Hashtables'
     * synchronized methods), which only the JVM's check sees: each thread compares its table with
     * a copy while holding it, and the value's equals asks the other table for its size. Main
     * waits for the watchdog's report, then ends (the daemons stay blocked).
     */
    static void untrackedDeadlock() {
        java.util.Hashtable<String, Object> first = new java.util.Hashtable<>();
        java.util.Hashtable<String, Object> second = new java.util.Hashtable<>();
        CountDownLatch bothInside = new CountDownLatch(2);
        first.put("k", new AsksSize(second, bothInside));
        second.put("k", new AsksSize(first, bothInside));
        for (java.util.Hashtable<String, Object> table : List.of(first, second)) {
            java.util.Hashtable<String, Object> copy = new java.util.Hashtable<>(table);
            Thread t = new Thread(
                    () -> System.out.println("never printed: " + table.equals(copy)),
                    "compare-" + (table == first ? "first" : "second"));
            t.setDaemon(true);
            t.start();
        }
        waitForReport("lockdep/deadlock", 30_000);
        System.out.println("deadlock reported");
    }

    /** A value whose equals, called inside its table's monitor, takes the other table's monitor. */
    private static final class AsksSize {
        private final java.util.Hashtable<String, Object> other;
        private final CountDownLatch bothInside;

        AsksSize(java.util.Hashtable<String, Object> other, CountDownLatch bothInside) {
            this.other = other;
            this.bothInside = bothInside;
        }

        @Override
        @SuppressWarnings("EqualsHashCode")
        public boolean equals(Object o) {
            bothInside.countDown();
            try {
                bothInside.await();
            } catch (InterruptedException e) {
                return false;
            }
            return other.size() > 0 && o == this; // Hashtable.size is synchronized: never returns
        }
    }

    /** Two objects whose synchronized methods call each other's, from two threads: an ABBA on monitors. */
    static final class Peer {
        private final String name;
        private Peer other;
        private CountDownLatch bothInside;

        Peer(String name) {
            this.name = name;
        }

        synchronized void callOther() throws InterruptedException {
            bothInside.countDown();
            bothInside.await();
            other.answer(); // blocks: the other thread holds it
        }

        synchronized String answer() {
            return name;
        }
    }

    /**
     * A real deadlock through synchronized methods: each thread, inside one peer's synchronized
     * method, enters the other's. The agent checks a synchronized method's monitor before the
     * thread can block on it, so it predicts the cycle and its own watchdog sees both threads
     * waiting. Main waits for the watchdog's report, then ends (the daemons stay blocked).
     */
    static void synchronizedMethodsDeadlock() {
        Peer a = new Peer("a");
        Peer b = new Peer("b");
        CountDownLatch bothInside = new CountDownLatch(2);
        a.other = b;
        b.other = a;
        a.bothInside = bothInside;
        b.bothInside = bothInside;
        for (Peer p : List.of(a, b)) {
            Thread t = new Thread(
                    () -> {
                        try {
                            p.callOther();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "peer-" + p.name);
            t.setDaemon(true);
            t.start();
        }
        waitForReport("lockdep/deadlock", 30_000);
        System.out.println("deadlock reported");
    }

    /** Polls the running agent (this is a program, not a test) until a violation of {@code rule} is there. */
    static void waitForReport(String rule, long timeoutMillis) {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            if (io.jlockdep.api.Jlockdep.agent().violations().stream()
                    .anyMatch(v -> v.rule().equals(rule))) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no " + rule + " within " + timeoutMillis + " ms");
    }

    /** One thread holds a lock for several watchdog intervals while another waits: slow, not deadlocked. */
    static void longWait() {
        ReentrantLock lock = new ReentrantLock();
        lock.lock();
        try {
            Thread waiter = new Thread(
                    () -> {
                        lock.lock();
                        lock.unlock();
                    },
                    "patient");
            waiter.start();
            while (!lock.hasQueuedThread(waiter)) {
                Thread.onSpinWait();
            }
            try {
                Thread.sleep(500); // ten watchdog intervals of 50 ms
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            lock.unlock();
            Scenarios.join(waiter);
        } finally {
            if (lock.isHeldByCurrentThread()) {
                lock.unlock();
            }
        }
    }

    /** The held-locks dump through the agent's MBean (jmx=on), while holding two locks. */
    static void heldLocksJmx() {
        ReentrantLock lock = new ReentrantLock();
        ReservationLock resv = new ReservationLock("bo-dump");
        lock.lock();
        resv.lock();
        try {
            Object dump = java.lang.management.ManagementFactory.getPlatformMBeanServer()
                    .invoke(new javax.management.ObjectName("io.jlockdep:type=Lockdep"), "heldLocks", null, null);
            System.out.println("MBEAN " + dump);
        } catch (javax.management.JMException e) {
            throw new IllegalStateException(e);
        } finally {
            resv.unlock();
            lock.unlock();
        }
    }

    static void stampedClean() {
        java.util.concurrent.locks.StampedLock sl = new java.util.concurrent.locks.StampedLock();
        long w = sl.writeLock();
        sl.unlockWrite(w);
        long r = sl.readLock();
        sl.unlockRead(r);
        long o = sl.tryOptimisticRead(); // takes nothing
        if (!sl.validate(o)) {
            throw new IllegalStateException("nobody wrote");
        }
        long r2 = sl.readLock();
        long w2 = sl.tryConvertToWriteLock(r2); // the only reader: converts
        if (w2 == 0L) {
            throw new IllegalStateException("conversion failed");
        }
        long r3 = sl.tryConvertToReadLock(w2);
        sl.unlock(r3);
        sl.asWriteLock().lock();
        sl.asWriteLock().unlock();
        sl.asReadLock().lock();
        sl.asReadLock().unlock();
        long t = sl.tryWriteLock();
        if (t != 0L) {
            sl.unlockWrite(t);
        }
    }

    /** A StampedLock read lock is not re-entrant: a writer queued between the two reads blocks the second. */
    static void stampedReadTwice() {
        java.util.concurrent.locks.StampedLock sl = new java.util.concurrent.locks.StampedLock();
        long r1 = sl.readLock();
        long r2 = sl.readLock();
        sl.unlockRead(r2);
        sl.unlockRead(r1);
    }

    /** read then write on one StampedLock waits for itself: run it with mode=fail. */
    static void stampedUpgrade() {
        java.util.concurrent.locks.StampedLock sl = new java.util.concurrent.locks.StampedLock();
        sl.readLock();
        sl.writeLock();
        throw new AssertionError("unreachable: a read-to-write wait on a StampedLock self-deadlocks");
    }

    static void stampedCycle() {
        java.util.concurrent.locks.StampedLock sl = new java.util.concurrent.locks.StampedLock();
        ReentrantLock rl = new ReentrantLock();
        Scenarios.inThread("first", () -> {
            long w = sl.writeLock();
            rl.lock();
            rl.unlock();
            sl.unlockWrite(w);
        });
        Scenarios.inThread("second", () -> {
            rl.lock();
            long r = sl.readLock();
            sl.unlockRead(r);
            rl.unlock();
        });
    }

    static void semaphoreCycle() {
        java.util.concurrent.Semaphore mutex = new java.util.concurrent.Semaphore(1);
        java.util.concurrent.Semaphore pool = new java.util.concurrent.Semaphore(4); // counting: not a lock
        ReentrantLock rl = new ReentrantLock();
        Scenarios.inThread("first", () -> {
            mutex.acquireUninterruptibly();
            pool.acquireUninterruptibly();
            rl.lock();
            rl.unlock();
            pool.release();
            mutex.release();
        });
        Scenarios.inThread("second", () -> {
            rl.lock();
            if (mutex.tryAcquire()) { // a trylock adds no dependency...
                mutex.release();
            }
            try {
                mutex.acquire(); // ...a blocking acquire does
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            mutex.release();
            rl.unlock();
        });
    }

    /** A permit acquired on one thread and released by another: a hand-off, not a bad unlock. */
    static void semaphoreHandoff() {
        java.util.concurrent.Semaphore ready = new java.util.concurrent.Semaphore(1);
        ready.acquireUninterruptibly();
        Scenarios.inThread("producer", ready::release);
        ready.acquireUninterruptibly();
        ready.release();
    }

    /** A binary semaphore released twice by the thread that acquired it once: it now has two permits. */
    static void semaphoreDoubleRelease() {
        java.util.concurrent.Semaphore mutex = new java.util.concurrent.Semaphore(1);
        mutex.acquireUninterruptibly();
        mutex.release();
        mutex.release();
        System.out.println("permits " + mutex.availablePermits());
    }

    /** A permit handed off to another thread, and then released by its acquirer as well. */
    static void semaphoreHandoffAndRelease() {
        java.util.concurrent.Semaphore mutex = new java.util.concurrent.Semaphore(1);
        mutex.acquireUninterruptibly();
        Scenarios.inThread("helper", mutex::release);
        mutex.release();
        System.out.println("permits " + mutex.availablePermits());
    }

    /** ABBA between two driver locks, every time under one outer lock: serialised, cannot deadlock. */
    static void gatedAbba() {
        ReentrantLock gate = new ReentrantLock();
        ReentrantLock a = new ReentrantLock();
        Object b = new Object();
        Scenarios.inThread("first", () -> {
            gate.lock();
            try {
                a.lock();
                synchronized (b) {
                    Work.touch(b);
                }
                a.unlock();
            } finally {
                gate.unlock();
            }
        });
        Scenarios.inThread("second", () -> {
            gate.lock();
            try {
                synchronized (b) {
                    a.lock();
                    a.unlock();
                }
            } finally {
                gate.unlock();
            }
        });
    }

    /** A cache fills itself under its ConcurrentHashMap bin lock and takes a driver lock inside; elsewhere the reverse. */
    static void chmComputeCycle() {
        java.util.concurrent.ConcurrentHashMap<String, String> cache = new java.util.concurrent.ConcurrentHashMap<>();
        ReentrantLock driver = new ReentrantLock();
        Scenarios.inThread(
                "filler",
                () -> cache.computeIfAbsent("k", k -> {
                    driver.lock(); // under the bin lock
                    driver.unlock();
                    return "v";
                }));
        Scenarios.inThread("updater", () -> {
            driver.lock();
            try {
                cache.compute("k", (k, v) -> v + "!"); // waits for the bin lock under the driver lock
            } finally {
                driver.unlock();
            }
        });
    }

    /** compute-family calls, nested in one order only: nothing to report. */
    static void chmComputeClean() {
        java.util.concurrent.ConcurrentHashMap<String, Integer> m = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.ConcurrentHashMap<String, Integer> index = new java.util.concurrent.ConcurrentHashMap<>();
        ReentrantLock lock = new ReentrantLock();
        for (int i = 0; i < 100; i++) {
            int n = i;
            m.merge("count", 1, Integer::sum);
            m.computeIfAbsent("k" + (n % 7), k -> index.computeIfAbsent("other" + n, o -> n)); // always m, then index
            lock.lock();
            lock.unlock();
        }
    }

    /** A Collections.synchronizedList: its internal mutex and the caller's client-side locking are one lock. */
    static void syncWrapperCycle() {
        List<String> list = java.util.Collections.synchronizedList(new ArrayList<>());
        ReentrantLock driver = new ReentrantLock();
        Scenarios.inThread("client-side", () -> {
            synchronized (list) { // the documented way to iterate a synchronized list
                driver.lock();
                driver.unlock();
            }
        });
        Scenarios.inThread("adder", () -> {
            driver.lock();
            try {
                list.add("x"); // the wrapper takes its mutex inside
            } finally {
                driver.unlock();
            }
        });
    }

    /** The JDK's own concurrency under load (executors, queues, maps): nothing of it is reported. */
    static void jdkBusy() {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        java.util.concurrent.ConcurrentHashMap<Integer, Integer> m = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.LinkedBlockingQueue<Integer> q = new java.util.concurrent.LinkedBlockingQueue<>();
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            futures.add(pool.submit(() -> {
                m.merge(n % 10, 1, Integer::sum);
                q.offer(n);
                q.poll();
                return null;
            }));
        }
        for (java.util.concurrent.Future<?> f : futures) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("pool did not stop");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
