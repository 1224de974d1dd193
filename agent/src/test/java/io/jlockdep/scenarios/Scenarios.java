package io.jlockdep.scenarios;

import io.jlockdep.resv.DrmExec;
import io.jlockdep.resv.ReservationLock;
import io.jlockdep.resv.WwMutexException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Programs the integration tests run in a JVM of their own under {@code -javaagent}: each does
 * one correct or buggy thing with reservations, the dma-buf API, JDK locks or monitors. The
 * tests read the rule IDs from the JSON report. Threads are sequenced with joins and latches, so
 * the buggy orderings never actually deadlock: the agent must predict them.
 *
 * <p>{@code java ... io.jlockdep.scenarios.Scenarios NAME}; prints {@code done NAME} at the end.
 */
public final class Scenarios {

    private static final Map<String, Runnable> ALL = new LinkedHashMap<>();

    static {
        ALL.put("mixed-cycle", Scenarios::mixedCycle);
        ALL.put("guards-clean", Guards::clean);
        ALL.put("guards-broken", Guards::broken);
        ALL.put("guards-forms", Guards::forms);
        ALL.put("guards-loader-swap", LoaderSwap::run);
        ALL.put("object-lock-components", ObjectLocks::components);
        ALL.put("object-lock-inversion", ObjectLocks::inversion);
        ALL.put("wrapper-guards", Wrappers::guards);
        ALL.put("wrapper-holders", Wrappers::holders);
        ALL.put("wrapper-two-locks", Wrappers::twoLockWrapper);
        ALL.put("sessions-one-class", NamedClasses::sessions);
        ALL.put("sessions-set-class", () -> NamedClasses.sessions("set-class"));
        ALL.put("sessions-two-sites", () -> NamedClasses.sessions("two-sites"));
        ALL.put("roles-base-field", () -> Roles.baseField());
        ALL.put("roles-two-tests", Roles::twoTests);
        ALL.put("roles-two-tests-monitors", Roles::twoTestsMonitors);
        ALL.put("roles-not-yet-shared", () -> Roles.notYetShared());
        ALL.put("roles-not-yet-shared-crossing", () -> Roles.notYetShared("crossing"));
        ALL.put("roles-not-yet-shared-static", () -> Roles.notYetShared("static"));
        ALL.put("roles-pooled-objects", () -> Roles.pooledObjects());
        ALL.put("roles-pooled-objects-inner-first", () -> Roles.pooledObjects("inner-first"));
        ALL.put("roles-pooled-objects-crossing", () -> Roles.pooledObjects("crossing"));
        ALL.put("roles-pooled-objects-crossing-first", () -> Roles.pooledObjects("crossing-first"));
        ALL.put("roles-base-field-crossing", () -> Roles.baseField("crossing"));
        ALL.put("sessions-two-sites-crossing", () -> NamedClasses.sessions("two-sites", "crossing"));
        ALL.put("factory-locks", NamedClasses::factory);
        ALL.put("trylock-no-cycle", Scenarios::trylockNoCycle);
        ALL.put("same-class-ordered", Scenarios::sameClassOrdered);
        ALL.put("same-class-inverted", Scenarios::sameClassInverted);
        ALL.put("conditions-and-wait", Scenarios::conditionsAndWait);
        ALL.put("rwlock-clean", Scenarios::rwlockClean);
        ALL.put("rwlock-upgrade", Scenarios::rwlockUpgrade);
        ALL.put("resv-self-deadlock", Scenarios::resvSelfDeadlock);
        ALL.put("ww-clean", Scenarios::wwClean);
        ALL.put("bad-unlock", Scenarios::badUnlock);
        ALL.put("held-at-exit", Scenarios::heldAtExit);
        ALL.put("virtual-threads-cycle", Scenarios::virtualThreadsCycle);
        ALL.put("user-spec", Scenarios::userSpec);
        ALL.put("attach-later", Scenarios::attachLater);
        ALL.put("half-ab", () -> CrossJvm.inOrder(CrossJvm.A, CrossJvm.B));
        ALL.put("half-ba", () -> CrossJvm.inOrder(CrossJvm.B, CrossJvm.A));
        ALL.put("names-to-escape", Scenarios::namesToEscape);
        ALL.put("real-deadlock-2", () -> JdkLockScenarios.realDeadlock(2));
        ALL.put("real-deadlock-3", () -> JdkLockScenarios.realDeadlock(3));
        ALL.put("untracked-deadlock", JdkLockScenarios::untrackedDeadlock);
        ALL.put("synchronized-methods-deadlock", JdkLockScenarios::synchronizedMethodsDeadlock);
        ALL.put("long-wait", JdkLockScenarios::longWait);
        ALL.put("held-locks-jmx", JdkLockScenarios::heldLocksJmx);
        ALL.put("stamped-clean", JdkLockScenarios::stampedClean);
        ALL.put("stamped-read-twice", JdkLockScenarios::stampedReadTwice);
        ALL.put("stamped-upgrade", JdkLockScenarios::stampedUpgrade);
        ALL.put("stamped-cycle", JdkLockScenarios::stampedCycle);
        ALL.put("semaphore-cycle", JdkLockScenarios::semaphoreCycle);
        ALL.put("semaphore-handoff", JdkLockScenarios::semaphoreHandoff);
        ALL.put("semaphore-double-release", JdkLockScenarios::semaphoreDoubleRelease);
        ALL.put("semaphore-handoff-and-release", JdkLockScenarios::semaphoreHandoffAndRelease);
        ALL.put("gated-abba", JdkLockScenarios::gatedAbba);
        ALL.put("chm-compute-cycle", JdkLockScenarios::chmComputeCycle);
        ALL.put("chm-compute-clean", JdkLockScenarios::chmComputeClean);
        ALL.put("sync-wrapper-cycle", JdkLockScenarios::syncWrapperCycle);
        ALL.put("jdk-busy", JdkLockScenarios::jdkBusy);
        JdkMonitors.register(ALL);
    }

    private Scenarios() {}

    public static void main(String[] args) {
        for (String name : args) {
            Runnable scenario = ALL.get(name);
            if (scenario == null) {
                throw new IllegalArgumentException("no scenario " + name + "; known: " + ALL.keySet());
            }
            scenario.run();
            System.out.println("done " + name);
        }
    }

    // ------------------------------------------------------------------ JDK locks, monitors, reservations

    private static final Object MONITOR = new Object();

    static void inThread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.start();
        join(t);
    }

    static void join(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        if (t.isAlive()) {
            throw new IllegalStateException(t.getName() + " did not finish");
        }
    }

    /** monitor -> ReentrantLock -> reservation on one thread; reservation -> monitor on another. */
    private static void mixedCycle() {
        ReentrantLock driverLock = new ReentrantLock();
        ReservationLock resv = new ReservationLock("bo0");
        inThread("first", () -> {
            synchronized (MONITOR) {
                driverLock.lock();
                try {
                    resv.lock();
                    resv.unlock();
                } finally {
                    driverLock.unlock();
                }
            }
        });
        inThread("second", () -> {
            resv.lock();
            try {
                synchronized (MONITOR) {
                    Work.touch(MONITOR);
                }
            } finally {
                resv.unlock();
            }
        });
    }

    private static void trylockNoCycle() {
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        inThread("first", () -> {
            a.lock();
            if (b.tryLock()) {
                b.unlock();
            }
            a.unlock();
        });
        inThread("second", () -> {
            b.lock();
            a.lock();
            a.unlock();
            b.unlock();
        });
    }

    static final class Account {
        final String name;

        Account(String name) {
            this.name = name;
        }
    }

    private static ReentrantLock newLock() {
        return new ReentrantLock(); // one allocation site: one lock class
    }

    private static void sameClassOrdered() {
        Account x = new Account("x");
        Account y = new Account("y");
        ReentrantLock l1 = newLock();
        ReentrantLock l2 = newLock();
        for (int i = 0; i < 2; i++) {
            inThread("transfer-" + i, () -> {
                synchronized (x) {
                    synchronized (y) {
                        l1.lock();
                        l2.lock();
                        l2.unlock();
                        l1.unlock();
                    }
                }
            });
        }
    }

    private static void sameClassInverted() {
        ReentrantLock l1 = newLock();
        ReentrantLock l2 = newLock();
        inThread("first", () -> {
            l1.lock();
            l2.lock();
            l2.unlock();
            l1.unlock();
        });
        inThread("second", () -> {
            l2.lock();
            l1.lock();
            l1.unlock();
            l2.unlock();
        });
    }

    /** Condition.await and Object.wait give the lock up while waiting; nothing is reported. */
    private static void conditionsAndWait() {
        ReentrantLock lock = new ReentrantLock();
        Condition ready = lock.newCondition();
        boolean[] flag = new boolean[1];
        CountDownLatch waiting = new CountDownLatch(1);
        Thread waiter = new Thread(
                () -> {
                    lock.lock();
                    lock.lock(); // two holds: await gives both up
                    try {
                        waiting.countDown();
                        while (!flag[0]) {
                            ready.await(30, TimeUnit.SECONDS);
                        }
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    } finally {
                        lock.unlock();
                        lock.unlock();
                    }
                },
                "waiter");
        waiter.start();
        await(waiting);
        lock.lock(); // the waiter gave it up inside await
        try {
            flag[0] = true;
            ready.signalAll();
        } finally {
            lock.unlock();
        }
        join(waiter);

        Object monitor = new Object();
        boolean[] monitorFlag = new boolean[1];
        CountDownLatch monitorWaiting = new CountDownLatch(1);
        Thread monitorWaiter = new Thread(
                () -> {
                    synchronized (monitor) {
                        monitorWaiting.countDown();
                        while (!monitorFlag[0]) {
                            try {
                                monitor.wait(30_000);
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    }
                },
                "monitor-waiter");
        monitorWaiter.start();
        await(monitorWaiting);
        synchronized (monitor) {
            monitorFlag[0] = true;
            monitor.notifyAll();
        }
        join(monitorWaiter);
        try {
            ready.signalAll(); // not holding the lock: the JDK's IllegalMonitorStateException, no lockdep report
        } catch (IllegalMonitorStateException expected) {
            System.out.println("IllegalMonitorStateException as expected");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch timed out");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void rwlockClean() {
        ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
        rw.readLock().lock();
        rw.readLock().lock(); // re-entrant read
        rw.readLock().unlock();
        rw.readLock().unlock();
        rw.writeLock().lock();
        rw.readLock().lock(); // downgrade
        rw.writeLock().unlock();
        rw.readLock().unlock();
    }

    /** read -> write on one ReentrantReadWriteLock waits for itself forever: run it with mode=fail. */
    private static void rwlockUpgrade() {
        ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
        rw.readLock().lock();
        rw.writeLock().lock();
        throw new AssertionError("unreachable: a read-to-write upgrade self-deadlocks");
    }

    /** ReservationLock is not re-entrant: run it with mode=fail. */
    private static void resvSelfDeadlock() {
        ReservationLock resv = new ReservationLock("bo-self");
        resv.lock();
        resv.lock();
        throw new AssertionError("unreachable: a second lock of a held reservation self-deadlocks");
    }

    /** Two threads commit overlapping sets of reservations in opposite orders, with back-off. */
    private static void wwClean() {
        List<ReservationLock> bos = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            bos.add(new ReservationLock("bo" + i));
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            boolean reverse = t == 1;
            Thread th = new Thread(
                    () -> {
                        await(start);
                        for (int round = 0; round < 300; round++) {
                            try (DrmExec exec = new DrmExec(DrmExec.IGNORE_DUPLICATES)) {
                                exec.untilAllLocked(e -> {
                                    for (int i = 0; i < bos.size(); i++) {
                                        e.lockObj(bos.get(reverse ? bos.size() - 1 - i : i));
                                    }
                                });
                                Thread.yield();
                            } catch (WwMutexException | InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    },
                    "committer-" + t);
            th.start();
            threads.add(th);
        }
        start.countDown();
        threads.forEach(Scenarios::join);
    }

    private static void badUnlock() {
        ReentrantLock lock = new ReentrantLock();
        try {
            lock.unlock();
        } catch (IllegalMonitorStateException expected) {
            System.out.println("IllegalMonitorStateException as expected");
        }
    }

    private static void heldAtExit() {
        ReentrantLock lock = new ReentrantLock();
        inThread("leaker", lock::lock);
    }

    /** The mixed cycle again, on virtual threads (Java 21+; skipped with a message before). */
    private static void virtualThreadsCycle() {
        ReentrantLock a = new ReentrantLock();
        ReservationLock b = new ReservationLock("bo-v");
        Runnable first = () -> {
            a.lock();
            b.lock();
            b.unlock();
            a.unlock();
        };
        Runnable second = () -> {
            b.lock();
            a.lock();
            a.unlock();
            b.unlock();
        };
        join(startVirtual(first));
        join(startVirtual(second));
    }

    private static Thread startVirtual(Runnable body) {
        try {
            return (Thread)
                    Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, body);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual threads need Java 21+", e);
        }
    }

    /** A user's own API with its own locking rule (see ledger.lockspec in the test resources). */
    public static final class Ledger {
        final ReentrantLock lock = new ReentrantLock();
        final ReentrantReadWriteLock index = new ReentrantReadWriteLock();
        long balance;

        /** Rule ledger/post-locked: the caller must hold {@code lock}. */
        public void post(long amount) {
            balance += amount;
        }

        /** Rule ledger/lookup-unlocked: the caller must not hold the index's write lock. */
        public long lookup() {
            index.readLock().lock();
            try {
                return balance;
            } finally {
                index.readLock().unlock();
            }
        }
    }

    private static void userSpec() {
        Ledger ledger = new Ledger();
        ledger.lock.lock();
        ledger.post(1); // correct
        ledger.lock.unlock();
        ledger.lookup(); // correct
        ledger.post(2); // ledger/post-locked
        ledger.index.writeLock().lock();
        ledger.lookup(); // ledger/lookup-unlocked (a downgrade, so it does not deadlock)
        ledger.index.writeLock().unlock();
    }

    /**
     * Runs without -javaagent: uses locks, then attaches the agent to itself (the Attach API, as
     * a debugger would to a running JVM; needs -Djdk.attach.allowAttachSelf=true), then runs the
     * mixed cycle. Classes loaded before the attach are retransformed.
     */
    private static void attachLater() {
        ReentrantLock early = new ReentrantLock();
        ReservationLock resv = new ReservationLock("bo-early");
        early.lock();
        resv.lock();
        resv.unlock();
        early.unlock();
        // held across the attach (issue 27 item 8): their releases are not bad unlocks
        ReentrantLock heldAcross = new ReentrantLock();
        java.util.concurrent.locks.ReentrantReadWriteLock rwAcross =
                new java.util.concurrent.locks.ReentrantReadWriteLock();
        heldAcross.lock();
        rwAcross.readLock().lock();
        rwAcross.writeLock().tryLock(); // fails: the read lock is held (no upgrade)
        try {
            com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(
                    String.valueOf(ProcessHandle.current().pid()));
            try {
                vm.loadAgent(System.getProperty("jlockdep.agent.jar"), System.getProperty("jlockdep.agent.options"));
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            throw new IllegalStateException("attach failed: " + e, e);
        }
        System.out.println("attached");
        rwAcross.readLock().unlock();
        heldAcross.unlock();
        inThread("after-attach", () -> {
            resv.lock();
            early.lock(); // a lock allocated before the agent: tracked under its type's shared class
            early.unlock();
            resv.unlock();
        });
        mixedCycle();
    }

    /**
     * Two locks with the same allocation sites in every JVM: one JVM takes them A then B, another
     * B then A. Neither sees a cycle; merging their reports does.
     */
    static final class CrossJvm {
        static final ReentrantLock A = new ReentrantLock();
        static final ReentrantLock B = new ReentrantLock();

        static void inOrder(ReentrantLock first, ReentrantLock second) {
            first.lock();
            try {
                second.lock();
                second.unlock();
            } finally {
                first.unlock();
            }
        }
    }

    /** Monitors whose class names need escaping in HTML and DOT, in a cycle. */
    static final class Escaped {}

    private static void namesToEscape() {
        Object a = new Escaped();
        Object b = new int[0];
        inThread("first <b>", () -> {
            synchronized (a) {
                synchronized (b) {
                    Work.touch(b);
                }
            }
        });
        inThread("second \"quoted\" & more", () -> {
            synchronized (b) {
                synchronized (a) {
                    Work.touch(a);
                }
            }
        });
    }
}
