package io.jlockdep.scenarios;

import io.jlockdep.dmabuf.Device;
import io.jlockdep.dmabuf.DmaBuf;
import io.jlockdep.dmabuf.DmaBufAttachment;
import io.jlockdep.dmabuf.DmaBufExportInfo;
import io.jlockdep.dmabuf.DmaBufOps;
import io.jlockdep.dmabuf.DmaDataDirection;
import io.jlockdep.dmabuf.IosysMap;
import io.jlockdep.dmabuf.SgTable;
import io.jlockdep.dmabuf.VmAreaStruct;
import io.jlockdep.resv.DrmExec;
import io.jlockdep.resv.ReservationLock;
import io.jlockdep.resv.WwAcquireContext;
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
        ALL.put("dma-buf-clean", Scenarios::dmaBufClean);
        ALL.put("importer-locked", Scenarios::importerLocked);
        ALL.put("importer-unlocked", Scenarios::importerUnlocked);
        ALL.put("importer-attaches-locked", Scenarios::importerAttachesLocked);
        ALL.put("exporter-unlocked-callback", Scenarios::exporterUnlockedCallback);
        ALL.put("exporter-locked-callback", Scenarios::exporterLockedCallback);
        ALL.put("exporter-locks-in-map", Scenarios::exporterLocksInMap);
        ALL.put("exporter-locked", Scenarios::exporterLocked);
        ALL.put("mixed-cycle", Scenarios::mixedCycle);
        ALL.put("trylock-no-cycle", Scenarios::trylockNoCycle);
        ALL.put("same-class-ordered", Scenarios::sameClassOrdered);
        ALL.put("same-class-inverted", Scenarios::sameClassInverted);
        ALL.put("conditions-and-wait", Scenarios::conditionsAndWait);
        ALL.put("rwlock-clean", Scenarios::rwlockClean);
        ALL.put("rwlock-upgrade", Scenarios::rwlockUpgrade);
        ALL.put("resv-self-deadlock", Scenarios::resvSelfDeadlock);
        ALL.put("ww-clean", Scenarios::wwClean);
        ALL.put("ww-lock-after-done", Scenarios::wwLockAfterDone);
        ALL.put("bad-unlock", Scenarios::badUnlock);
        ALL.put("held-at-exit", Scenarios::heldAtExit);
        ALL.put("virtual-threads-cycle", Scenarios::virtualThreadsCycle);
        ALL.put("user-spec", Scenarios::userSpec);
        ALL.put("attach-later", Scenarios::attachLater);
        ALL.put("half-ab", () -> CrossJvm.inOrder(CrossJvm.A, CrossJvm.B));
        ALL.put("half-ba", () -> CrossJvm.inOrder(CrossJvm.B, CrossJvm.A));
        ALL.put("names-to-escape", Scenarios::namesToEscape);
        ALL.put("real-deadlock-2", () -> realDeadlock(2));
        ALL.put("real-deadlock-3", () -> realDeadlock(3));
        ALL.put("long-wait", Scenarios::longWait);
        ALL.put("held-locks-jmx", Scenarios::heldLocksJmx);
        ALL.put("stamped-clean", Scenarios::stampedClean);
        ALL.put("stamped-read-twice", Scenarios::stampedReadTwice);
        ALL.put("stamped-upgrade", Scenarios::stampedUpgrade);
        ALL.put("stamped-cycle", Scenarios::stampedCycle);
        ALL.put("semaphore-cycle", Scenarios::semaphoreCycle);
        ALL.put("semaphore-handoff", Scenarios::semaphoreHandoff);
        ALL.put("gated-abba", Scenarios::gatedAbba);
        ALL.put("chm-compute-cycle", Scenarios::chmComputeCycle);
        ALL.put("chm-compute-clean", Scenarios::chmComputeClean);
        ALL.put("sync-wrapper-cycle", Scenarios::syncWrapperCycle);
        ALL.put("jdk-busy", Scenarios::jdkBusy);
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

    // ------------------------------------------------------------------ dma-buf

    /** A simple exporter: maps anything, optionally takes the reservation where it must not. */
    static final class Exporter implements DmaBufOps {
        volatile boolean lockInMap;

        @Override
        public SgTable mapDmaBuf(DmaBufAttachment attach, DmaDataDirection direction) {
            if (lockInMap) {
                attach.dmabuf().resv().lock(); // exporter rule 2 broken: map_dma_buf is invoked locked
                attach.dmabuf().resv().unlock();
            }
            return SgTable.of(0x1000_0000L, attach.dmabuf().size());
        }

        @Override
        public void unmapDmaBuf(DmaBufAttachment attach, SgTable table, DmaDataDirection direction) {}

        @Override
        public void release(DmaBuf dmabuf) {}

        @Override
        public void beginCpuAccess(DmaBuf dmabuf, DmaDataDirection direction) {
            dmabuf.resv().lock(); // allowed: invoked unlocked (exporter rule 1)
            dmabuf.resv().unlock();
        }

        @Override
        public void mmap(DmaBuf dmabuf, VmAreaStruct vma) {}

        @Override
        public IosysMap vmap(DmaBuf dmabuf) {
            return new IosysMap(0xffff_8000_0000_0000L, false);
        }
    }

    private static DmaBuf export(Exporter exporter) {
        return DmaBuf.export(new DmaBufExportInfo("it-exporter", exporter, 4 * DmaBuf.PAGE_SIZE, new Object()));
    }

    private static void dmaBufClean() {
        DmaBuf buf = export(new Exporter());
        DmaBufAttachment attach = buf.attach(Device.of("gpu0"));
        buf.resv().lock();
        try {
            SgTable sgt = DmaBuf.mapAttachment(attach, DmaDataDirection.BIDIRECTIONAL);
            DmaBuf.unmapAttachment(attach, sgt, DmaDataDirection.BIDIRECTIONAL);
            IosysMap map = buf.vmap();
            buf.vunmap(map);
            buf.moveNotify();
        } finally {
            buf.resv().unlock();
        }
        SgTable sgt = DmaBuf.mapAttachmentUnlocked(attach, DmaDataDirection.TO_DEVICE);
        DmaBuf.unmapAttachmentUnlocked(attach, sgt, DmaDataDirection.TO_DEVICE);
        buf.beginCpuAccess(DmaDataDirection.FROM_DEVICE);
        buf.endCpuAccess(DmaDataDirection.FROM_DEVICE);
        buf.mmap(new VmAreaStruct(1), 0);
        IosysMap map = buf.vmapUnlocked();
        buf.vunmapUnlocked(map);
        int fd = buf.fd();
        DmaBuf again = DmaBuf.get(fd);
        again.put();
        buf.detach(attach);
        DmaBuf.closeFd(fd);
    }

    private static void importerLocked() {
        DmaBuf buf = export(new Exporter());
        DmaBufAttachment attach = buf.attach(Device.of("gpu0"));
        SgTable sgt = DmaBuf.mapAttachment(attach, DmaDataDirection.BIDIRECTIONAL); // without the lock
        buf.resv().lock();
        DmaBuf.unmapAttachment(attach, sgt, DmaDataDirection.BIDIRECTIONAL);
        buf.resv().unlock();
        buf.detach(attach);
        buf.put();
    }

    private static void importerUnlocked() {
        DmaBuf buf = export(new Exporter());
        buf.resv().lock();
        int fd = buf.fd(); // with the lock
        buf.resv().unlock();
        DmaBuf.closeFd(fd);
    }

    /** dma_buf_attach takes the reservation itself: with it held, a self-deadlock. Run it with mode=fail. */
    private static void importerAttachesLocked() {
        DmaBuf buf = export(new Exporter());
        buf.resv().lock();
        buf.attach(Device.of("gpu0"));
        throw new AssertionError("unreachable: attach under the reservation self-deadlocks");
    }

    private static void exporterUnlockedCallback() {
        DmaBuf buf = export(new Exporter());
        buf.resv().lock();
        try {
            buf.ops().endCpuAccess(buf, DmaDataDirection.FROM_DEVICE); // a callback invoked unlocked, called locked
        } finally {
            buf.resv().unlock();
        }
        buf.put();
    }

    private static void exporterLockedCallback() {
        DmaBuf buf = export(new Exporter());
        DmaBufAttachment attach = buf.attach(Device.of("gpu0"));
        SgTable sgt = buf.ops().mapDmaBuf(attach, DmaDataDirection.TO_DEVICE); // invoked locked, called unlocked
        buf.resv().lock();
        buf.ops().unmapDmaBuf(attach, sgt, DmaDataDirection.TO_DEVICE);
        buf.resv().unlock();
        buf.detach(attach);
        buf.put();
    }

    /** In a real kernel a self-deadlock: run it with mode=fail. */
    private static void exporterLocksInMap() {
        Exporter exporter = new Exporter();
        exporter.lockInMap = true;
        DmaBuf buf = export(exporter);
        DmaBufAttachment attach = buf.attach(Device.of("gpu0"));
        buf.resv().lock();
        DmaBuf.mapAttachment(attach, DmaDataDirection.TO_DEVICE);
        throw new AssertionError("unreachable: the exporter's lock inside map_dma_buf self-deadlocks");
    }

    private static void exporterLocked() {
        DmaBuf buf = export(new Exporter());
        buf.moveNotify(); // without the lock
        buf.put();
    }

    // ------------------------------------------------------------------ JDK locks, monitors, reservations

    private static final Object MONITOR = new Object();

    private static void inThread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.start();
        join(t);
    }

    private static void join(Thread t) {
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

    private static void wwLockAfterDone() {
        ReservationLock a = new ReservationLock("bo-a");
        ReservationLock b = new ReservationLock("bo-b");
        WwAcquireContext ctx = WwAcquireContext.init(ReservationLock.CLASS);
        try {
            a.lock(ctx);
            ctx.done();
            b.lock(ctx); // ww_acquire_done promised no more locks
            b.unlock();
            a.unlock();
        } catch (WwMutexException e) {
            throw new IllegalStateException(e);
        }
        ctx.fini();
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

    /**
     * {@code n} daemon threads that really deadlock (each holds its lock, then waits for the next
     * one's); main waits until the watchdog has reported it, then ends (the daemons stay blocked).
     */
    private static void realDeadlock(int n) {
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

    /** Polls the running agent (this is a program, not a test) until a violation of {@code rule} is there. */
    private static void waitForReport(String rule, long timeoutMillis) {
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
    private static void longWait() {
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
            join(waiter);
        } finally {
            if (lock.isHeldByCurrentThread()) {
                lock.unlock();
            }
        }
    }

    /** The held-locks dump through the agent's MBean (jmx=on), while holding two locks. */
    private static void heldLocksJmx() {
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

    private static void stampedClean() {
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
    private static void stampedReadTwice() {
        java.util.concurrent.locks.StampedLock sl = new java.util.concurrent.locks.StampedLock();
        long r1 = sl.readLock();
        long r2 = sl.readLock();
        sl.unlockRead(r2);
        sl.unlockRead(r1);
    }

    /** read then write on one StampedLock waits for itself: run it with mode=fail. */
    private static void stampedUpgrade() {
        java.util.concurrent.locks.StampedLock sl = new java.util.concurrent.locks.StampedLock();
        sl.readLock();
        sl.writeLock();
        throw new AssertionError("unreachable: a read-to-write wait on a StampedLock self-deadlocks");
    }

    private static void stampedCycle() {
        java.util.concurrent.locks.StampedLock sl = new java.util.concurrent.locks.StampedLock();
        ReentrantLock rl = new ReentrantLock();
        inThread("first", () -> {
            long w = sl.writeLock();
            rl.lock();
            rl.unlock();
            sl.unlockWrite(w);
        });
        inThread("second", () -> {
            rl.lock();
            long r = sl.readLock();
            sl.unlockRead(r);
            rl.unlock();
        });
    }

    private static void semaphoreCycle() {
        java.util.concurrent.Semaphore mutex = new java.util.concurrent.Semaphore(1);
        java.util.concurrent.Semaphore pool = new java.util.concurrent.Semaphore(4); // counting: not a lock
        ReentrantLock rl = new ReentrantLock();
        inThread("first", () -> {
            mutex.acquireUninterruptibly();
            pool.acquireUninterruptibly();
            rl.lock();
            rl.unlock();
            pool.release();
            mutex.release();
        });
        inThread("second", () -> {
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
    private static void semaphoreHandoff() {
        java.util.concurrent.Semaphore ready = new java.util.concurrent.Semaphore(1);
        ready.acquireUninterruptibly();
        inThread("producer", ready::release);
        ready.acquireUninterruptibly();
        ready.release();
    }

    /** ABBA between two driver locks, every time under one outer lock: serialised, cannot deadlock. */
    private static void gatedAbba() {
        ReentrantLock gate = new ReentrantLock();
        ReentrantLock a = new ReentrantLock();
        Object b = new Object();
        inThread("first", () -> {
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
        inThread("second", () -> {
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
    private static void chmComputeCycle() {
        java.util.concurrent.ConcurrentHashMap<String, String> cache = new java.util.concurrent.ConcurrentHashMap<>();
        ReentrantLock driver = new ReentrantLock();
        inThread(
                "filler",
                () -> cache.computeIfAbsent("k", k -> {
                    driver.lock(); // under the bin lock
                    driver.unlock();
                    return "v";
                }));
        inThread("updater", () -> {
            driver.lock();
            try {
                cache.compute("k", (k, v) -> v + "!"); // waits for the bin lock under the driver lock
            } finally {
                driver.unlock();
            }
        });
    }

    /** compute-family calls, nested in one order only: nothing to report. */
    private static void chmComputeClean() {
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
    private static void syncWrapperCycle() {
        List<String> list = java.util.Collections.synchronizedList(new ArrayList<>());
        ReentrantLock driver = new ReentrantLock();
        inThread("client-side", () -> {
            synchronized (list) { // the documented way to iterate a synchronized list
                driver.lock();
                driver.unlock();
            }
        });
        inThread("adder", () -> {
            driver.lock();
            try {
                list.add("x"); // the wrapper takes its mutex inside
            } finally {
                driver.unlock();
            }
        });
    }

    /** The JDK's own concurrency under load (executors, queues, maps): nothing of it is reported. */
    private static void jdkBusy() {
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
