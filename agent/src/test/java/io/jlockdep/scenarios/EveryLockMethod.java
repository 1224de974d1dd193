package io.jlockdep.scenarios;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * Calls every JDK lock method the agent patches, each exit kind included (a return, an exception
 * thrown through the patched method, an interrupted {@code await} that takes the lock back
 * before it throws), and a {@code synchronized} method of each kind, in one correct thread: run
 * with the JVM's verifier on for boot classes, it shows every patched class verifies, and the
 * report shows the bookkeeping stayed balanced (no violation). Prints {@code done every-lock-method}.
 */
public final class EveryLockMethod {

    private EveryLockMethod() {}

    private static synchronized void staticSynchronized(int x) {
        if (x < 0) {
            throw new IllegalStateException("negative");
        }
    }

    private synchronized int instanceSynchronized(int x) {
        if (x < 0) {
            throw new IllegalStateException("negative");
        }
        return x;
    }

    public static void main(String[] args) throws Exception {
        ReentrantLock lock = new ReentrantLock();
        Condition condition = lock.newCondition();
        lock.lock();
        try {
            condition.awaitNanos(1_000);
            condition.await(1, TimeUnit.MILLISECONDS);
        } finally {
            lock.unlock();
        }
        lock.lockInterruptibly();
        lock.unlock();
        if (lock.tryLock()) {
            lock.unlock();
        }
        if (lock.tryLock(1, TimeUnit.SECONDS)) {
            lock.unlock();
        }
        Thread.currentThread().interrupt();
        try {
            lock.lockInterruptibly(); // throws: an exceptional exit of lockInterruptibly
            lock.unlock();
        } catch (InterruptedException expected) {
            System.out.println("lockInterruptibly interrupted");
        }
        lock.lock();
        try {
            Thread.currentThread().interrupt();
            condition.await();
        } catch (InterruptedException expected) {
            System.out.println("await interrupted, lock held again: " + lock.isHeldByCurrentThread());
        } finally {
            lock.unlock();
        }

        ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
        rw.readLock().lock();
        rw.readLock().unlock();
        rw.writeLock().lock();
        rw.writeLock().unlock();
        if (rw.writeLock().tryLock()) {
            rw.writeLock().unlock();
        }

        StampedLock stamped = new StampedLock();
        long stamp = stamped.writeLock();
        stamped.unlockWrite(stamp);
        stamp = stamped.readLock();
        stamped.unlockRead(stamp);
        stamp = stamped.tryWriteLock();
        stamp = stamped.tryConvertToReadLock(stamp);
        stamped.unlockRead(stamp);
        stamp = stamped.tryReadLock();
        stamp = stamped.tryConvertToWriteLock(stamp);
        stamped.tryConvertToOptimisticRead(stamp);
        stamped.asWriteLock().lock();
        stamped.asWriteLock().unlock();
        stamped.writeLock();
        stamped.tryUnlockWrite();

        Semaphore semaphore = new Semaphore(1);
        semaphore.acquire();
        semaphore.release();
        if (semaphore.tryAcquire()) {
            semaphore.release();
        }
        if (semaphore.tryAcquire(1, TimeUnit.SECONDS)) {
            semaphore.release();
        }

        ConcurrentHashMap<String, Integer> map = new ConcurrentHashMap<>();
        map.computeIfAbsent("a", k -> 1);
        map.merge("a", 1, Integer::sum);
        try {
            map.compute("b", (k, v) -> {
                throw new IllegalStateException("in compute");
            });
        } catch (IllegalStateException expected) {
            System.out.println("compute threw");
        }

        staticSynchronized(1);
        try {
            staticSynchronized(-1);
        } catch (IllegalStateException expected) {
            System.out.println("static synchronized threw");
        }
        EveryLockMethod o = new EveryLockMethod();
        o.instanceSynchronized(1);
        try {
            o.instanceSynchronized(-1);
        } catch (IllegalStateException expected) {
            System.out.println("synchronized threw");
        }

        Thread t = new Thread(() -> {
            lock.lock();
            lock.unlock();
        });
        t.start();
        t.join();
        System.out.println("done every-lock-method");
    }
}
