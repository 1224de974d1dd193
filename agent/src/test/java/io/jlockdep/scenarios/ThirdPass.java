package io.jlockdep.scenarios;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.when;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.mockito.MockedStatic;

/**
 * Programs of the third adversarial round (issue 27), each run in a JVM of its own under the
 * agent by {@code ThirdPassIT}: {@code java ThirdPass NAME [ARGS]}. Every program ends by printing
 * {@code done NAME}; one that would hang gives up after a bounded wait and prints what hung.
 */
public final class ThirdPass {

    private static final Map<String, Runnable> ALL = new LinkedHashMap<>();

    static {
        ALL.put("mockito", ThirdPass::mockito);
        ALL.put("blocked-line", ThirdPass::blockedLine);
        ALL.put("guard-getters", ThirdPass::guardGetters);
        ALL.put("forged-names", ThirdPass::forgedNames);
        ALL.put("spec-sites", ThirdPass::specSites);
        ALL.put("stamped-handoff", ThirdPass::stampedHandoff);
        ALL.put("timed-trylock-cycle", ThirdPass::timedTryLockCycle);
        ALL.put("monitor-churn", ThirdPass::monitorChurn);
        ALL.put("abba", ThirdPass::abba);
        ALL.put("semaphore-signal", ThirdPass::semaphoreSignal);
        ALL.put("callback-lambdas", ThirdPass::callbackLambdas);
        ALL.put("guarded-shapes", ThirdPass::guardedShapes);
        ALL.put("held-sites", ThirdPass::heldSites);
        ALL.put("held-sites-jdk", ThirdPass::heldSitesJdk);
        ALL.put("sync-lists-caller-locked", ThirdPass::syncListsCallerLocked);
        ALL.put("named-targets", () -> System.out.println("named " + new Named().count));
        ALL.put("unnamed-virtual", ThirdPass::unnamedVirtual);
    }

    private ThirdPass() {}

    private static String[] args = new String[0];

    public static void main(String[] argv) {
        Runnable scenario = ALL.get(argv[0]);
        if (scenario == null) {
            throw new IllegalArgumentException("no scenario " + argv[0] + "; known: " + ALL.keySet());
        }
        args = java.util.Arrays.copyOfRange(argv, 1, argv.length);
        scenario.run();
        System.out.println("done " + argv[0]);
    }

    static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                System.out.println("HUNG: " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A class with synchronized instance and static methods, as application code has them. */
    public static class Account {
        private final Object audit = new Object();
        private int balance;

        public synchronized int deposit(int amount) {
            balance += amount;
            return Thread.holdsLock(this) ? balance : -1;
        }

        /** this, then the audit lock. */
        public synchronized void transfer() {
            synchronized (audit) {
                balance++;
            }
        }

        /** The audit lock, then this: the other order. */
        public void audit() {
            synchronized (audit) {
                deposit(0);
            }
        }

        public static synchronized String bank() {
            return "real bank";
        }
    }

    /** A final class with a synchronized method: only the inline mock maker can mock it. */
    public static final class Ledger {
        public synchronized String last() {
            return "real entry";
        }
    }

    /**
     * Issue 27 item 0: Mockito 5's inline mocks and spies of classes with synchronized methods
     * (instance, static, a final class), which retransform classes the agent rewrote when they were
     * defined; then the spied class's own locking, still checked.
     */
    private static void mockito() {
        Account real = new Account();
        System.out.println("real deposit " + real.deposit(5));
        Account mocked = mock(Account.class);
        when(mocked.deposit(1)).thenReturn(42);
        System.out.println("mock deposit " + mocked.deposit(1));
        Account spied = spy(new Account());
        System.out.println("spy deposit " + spied.deposit(7));
        Ledger ledger = mock(Ledger.class);
        when(ledger.last()).thenReturn("mocked entry");
        System.out.println("final class " + ledger.last());
        try (MockedStatic<Account> statics = mockStatic(Account.class)) {
            statics.when(Account::bank).thenReturn("mocked bank");
            System.out.println("static " + Account.bank());
        }
        System.out.println("static after " + Account.bank());
        spied.transfer();
        spied.audit(); // the other order: a possible deadlock the agent still sees through the spy
    }

    /**
     * Issue 27 item 23: a thread blocked entering a synchronized method; its frame prints the
     * method's first line, as without the agent.
     */
    private static void blockedLine() {
        CountDownLatch entered = new CountDownLatch(1);
        Thread t = new Thread(() -> Blocked.enter(entered), "blocked-line");
        synchronized (Blocked.class) {
            t.start();
            while (t.getState() != Thread.State.BLOCKED && t.isAlive()) {
                Thread.onSpinWait();
            }
            System.out.println("blocked at " + t.getStackTrace()[0]);
        }
        await(entered, "blocked-line");
        try {
            new Blocked().fail();
        } catch (IllegalStateException e) {
            System.out.println("thrown at " + e.getStackTrace()[0]);
        }
    }

    static final class Blocked {
        static synchronized void enter(CountDownLatch entered) {
            entered.countDown(); // line: the first of enter
        }

        synchronized void fail() {
            throw new IllegalStateException("from fail"); // line: the first of fail
        }
    }

    /**
     * Lock expressions naming methods (issue 27 item 1): a plain getter is read as its field; the
     * others (synchronized, with a side effect, throwing) are refused, and none is ever called by
     * the agent. Each getter counts its calls; the program calls none of them itself.
     */
    @SuppressWarnings("GuardedBy") // Error Prone's compile-time check: these are checked at run time
    static final class GetterGuarded {
        private final Object plain = new Object();
        private final Object other = new Object();
        static int syncCalls;
        static int countingCalls;
        static int throwingCalls;

        Object plainLock() {
            return plain;
        }

        synchronized Object syncLock() {
            syncCalls++;
            return other;
        }

        Object countingLock() {
            countingCalls++;
            return other;
        }

        Object throwingLock() {
            throwingCalls++;
            throw new IllegalStateException("the getter ran");
        }

        @com.google.errorprone.annotations.concurrent.GuardedBy("plainLock()")
        int a;

        @com.google.errorprone.annotations.concurrent.GuardedBy("syncLock()")
        int b;

        @com.google.errorprone.annotations.concurrent.GuardedBy("countingLock()")
        int c;

        @com.google.errorprone.annotations.concurrent.GuardedBy("throwingLock()")
        int d;

        /** This object's monitor, then {@code other}: the order a synchronized getter inverts. */
        synchronized void touchOther() {
            synchronized (other) {
                b++;
            }
        }

        void underOther() {
            synchronized (other) {
                b++; // correct: 'other' is what syncLock() returns
                c++;
                d++;
            }
        }
    }

    @SuppressWarnings("GuardedBy")
    private static void guardGetters() {
        GetterGuarded g = new GetterGuarded();
        synchronized (g.plain) {
            g.a++; // held: no report
        }
        g.a++; // not held: reported, the lock named by its field
        for (int round = 0; round < 20; round++) {
            CountDownLatch start = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(2);
            Runnable t1 = () -> {
                await(start, "start");
                g.underOther();
                done.countDown();
            };
            Runnable t2 = () -> {
                await(start, "start");
                g.touchOther();
                done.countDown();
            };
            Thread a = new Thread(t1, "under-other-" + round);
            Thread b = new Thread(t2, "touch-other-" + round);
            a.setDaemon(true);
            b.setDaemon(true);
            a.start();
            b.start();
            start.countDown();
            await(done, "round " + round + " (a synchronized getter called by the agent deadlocks it)");
            if (done.getCount() > 0) {
                System.out.println("done guard-getters"); // the JVM must end: the threads are stuck
                System.exit(0);
            }
        }
        System.out.println("getter calls: sync " + GetterGuarded.syncCalls + ", counting " + GetterGuarded.countingCalls
                + ", throwing " + GetterGuarded.throwingCalls);
    }

    /** A lock expression with a NUL, a newline and an ESC in it (issue 27 item 18). */
    @SuppressWarnings("GuardedBy")
    static final class ForgedExpression {
        @com.google.errorprone.annotations.concurrent.GuardedBy("bad\u0000\n[main] INFO forged\u001b[31m")
        int x;
    }

    /**
     * Names that could forge log lines (issue 27 item 18): a thread named with a newline, a CR, a
     * NUL and U+2028 that takes two locks in both orders; a lock expression with control characters.
     */
    @SuppressWarnings("GuardedBy")
    private static void forgedNames() {
        new ForgedExpression().x++;
        Object a = new Object();
        Object b = new Object();
        Thread t = new Thread(
                () -> {
                    synchronized (a) {
                        synchronized (b) {
                            System.out.println("a then b");
                        }
                    }
                    synchronized (b) {
                        synchronized (a) {
                            System.out.println("b then a");
                        }
                    }
                },
                "evil\n[main] INFO forged\r\u0000\u2028end");
        t.start();
        try {
            t.join(20_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * An unnamed virtual thread (issue 27 item 20) leaves a lock held when it ends; started by
     * reflection, since the scenarios are compiled for Java 17.
     */
    private static void unnamedVirtual() {
        java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        Runnable leak = lock::lock;
        try {
            Thread v = (Thread)
                    Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, leak);
            v.join(20_000);
            System.out.println("virtual thread " + v);
        } catch (ReflectiveOperationException e) {
            System.out.println("no virtual threads: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Three call sites that break a spec rule on {@code ArrayList#add} (issue 27 item 10): three
     * reports, each at its own line, however often each runs.
     */
    private static void specSites() {
        java.util.List<String> list = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            list.add("first site");
            list.add("second site");
            addThird(list);
        }
        synchronized (list) {
            list.add("locked: no report");
        }
    }

    private static void addThird(java.util.List<String> list) {
        list.add("third site");
    }

    /**
     * A StampedLock read stamp released by another thread, as its javadoc allows (issue 27 item
     * 7); then the first thread takes the write lock, which it may: it no longer holds the read one.
     */
    private static void stampedHandoff() {
        java.util.concurrent.locks.StampedLock sl = new java.util.concurrent.locks.StampedLock();
        long read = sl.readLock();
        Thread helper = new Thread(() -> sl.unlockRead(read), "releaser");
        helper.start();
        try {
            helper.join(20_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long w = sl.writeLock();
        sl.unlockWrite(w);
        System.out.println("write after hand-off");
        long stale = sl.tryOptimisticRead();
        try {
            sl.unlockRead(stale); // not a read stamp: the lock refuses it, a real bad unlock
        } catch (IllegalMonitorStateException expected) {
            System.out.println("refused " + expected.getClass().getSimpleName());
        }
    }

    /**
     * Two tracked locks in a wait cycle that a timed {@code tryLock} ends (issue 27 item 6): one
     * thread holds {@code first} and waits up to 2 s for {@code second}; the other holds
     * {@code second} and waits for {@code first}. The timed wait gives up, releases, and both end.
     */
    private static void timedTryLockCycle() {
        java.util.concurrent.locks.ReentrantLock first = new java.util.concurrent.locks.ReentrantLock();
        java.util.concurrent.locks.ReentrantLock second = new java.util.concurrent.locks.ReentrantLock();
        CountDownLatch bothHold = new CountDownLatch(2);
        Thread patient = new Thread(
                () -> {
                    first.lock();
                    try {
                        bothHold.countDown();
                        await(bothHold, "both hold");
                        boolean got = second.tryLock(2, TimeUnit.SECONDS);
                        System.out.println("timed tryLock " + (got ? "acquired" : "gave up"));
                        if (got) {
                            second.unlock();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        first.unlock();
                    }
                },
                "timed");
        Thread blocked = new Thread(
                () -> {
                    second.lock();
                    try {
                        bothHold.countDown();
                        await(bothHold, "both hold");
                        while (!second.hasQueuedThreads()) {
                            Thread.onSpinWait(); // the timed waiter is parked on second
                        }
                        first.lock(); // waits until the timed tryLock gives up
                        first.unlock();
                    } finally {
                        second.unlock();
                    }
                },
                "untimed");
        patient.start();
        blocked.start();
        try {
            patient.join(20_000);
            blocked.join(20_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The class {@code named-targets.lockspec} names members of (issue 27 item 13). */
    static final class Named {
        final Object lock = new Object();
        int count;
    }

    /**
     * A full GC, then waits (bounded) until the JVM's reference handler has enqueued what it
     * cleared: a sentinel weak reference of our own, cleared by the same GC, arrives in our queue.
     */
    private static void collectAndProcessReferences() {
        java.lang.ref.ReferenceQueue<Object> q = new java.lang.ref.ReferenceQueue<>();
        java.lang.ref.WeakReference<Object> sentinel = new java.lang.ref.WeakReference<>(new Object(), q);
        System.gc();
        try {
            if (q.remove(20_000) != sentinel) {
                System.out.println("HUNG: reference processing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long churn(Holder h, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            h.current = new Object();
            synchronized (h.current) {
                sum += i & 1;
            }
        }
        return sum;
    }

    /** A holder whose field each new monitor is read from. */
    static final class Holder {
        Object current;
    }

    /**
     * Millions of short-lived objects, each read from a field and locked once (issue 27 item 3):
     * the agent's table of monitors must shed them as they die. Prints the heap used after a GC.
     */
    private static void monitorChurn() {
        int n = Integer.parseInt(args[0]);
        Holder h = new Holder();
        long sum = churn(h, n);
        collectAndProcessReferences(); // the churned monitors die, their entries are enqueued
        sum += churn(h, 100_000); // and the table, written again, sheds them
        System.gc();
        java.lang.management.MemoryUsage heap =
                java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        System.out.println("churned " + n + " sum " + sum + " heap-after-gc " + heap.getUsed());
    }

    /** Two ReentrantLocks in both orders on one thread: a possible deadlock, reported at once. */
    private static void abba() {
        java.util.concurrent.locks.ReentrantLock x = new java.util.concurrent.locks.ReentrantLock();
        java.util.concurrent.locks.ReentrantLock y = new java.util.concurrent.locks.ReentrantLock();
        x.lock();
        try {
            y.lock();
            y.unlock();
        } finally {
            x.unlock();
        }
        y.lock();
        try {
            x.lock();
            x.unlock();
        } finally {
            y.unlock();
        }
    }

    /**
     * A {@code Semaphore(1)} used as a signal between threads (issue 27 item 14): main takes its
     * permit and then a lock; a worker, under that lock, hands the permit back (a release by a
     * thread that never acquired it), then takes and gives it once more. Not a deadlock.
     */
    private static void semaphoreSignal() {
        java.util.concurrent.Semaphore signal = new java.util.concurrent.Semaphore(1);
        java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        signal.acquireUninterruptibly();
        lock.lock();
        lock.unlock();
        Thread worker = new Thread(
                () -> {
                    lock.lock();
                    try {
                        signal.release(); // the hand-off
                        signal.acquireUninterruptibly();
                        signal.release();
                    } finally {
                        lock.unlock();
                    }
                },
                "signaller");
        worker.start();
        try {
            worker.join(20_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        lock.unlock();
    }

    /** The callback interface of {@code visitor.lockspec} (issue 27 item 11). */
    public interface Visitor {
        void visit(Object node);
    }

    /** A named implementation: checked. */
    static final class NamedVisitor implements Visitor {
        @Override
        public void visit(Object node) {
            System.out.println("named visit " + Thread.holdsLock(node));
        }
    }

    static void visitNode(Object node) {
        System.out.println("reference visit " + Thread.holdsLock(node));
    }

    /** Four implementations, two of them a lambda and a method reference; all invoked without the node's monitor. */
    private static void callbackLambdas() {
        Object node = new Object();
        Visitor lambda = n -> System.out.println("lambda visit " + Thread.holdsLock(n));
        Visitor reference = ThirdPass::visitNode;
        java.util.List<Visitor> all = java.util.List.of(new NamedVisitor(), lambda, reference);
        for (Visitor v : all) {
            v.visit(node);
        }
    }

    /** Issue 27 item 12: a constructor that touches another, shared object's guarded field. */
    @SuppressWarnings("GuardedBy")
    static final class Node {
        @javax.annotation.concurrent.GuardedBy("this")
        int size;

        Node() {
            size = 1; // its own object, not shared yet: exempt
        }

        Node(Node head) {
            this();
            head.size++; // the shared head, without its monitor
        }

        /** Through a method: its own object exempt, the shared head not (the object decides, not the class). */
        Node(Node head, int extra) {
            grow(extra); // its own object, not shared yet: exempt
            head.grow(extra); // the shared head, without its monitor
        }

        /** Leaked by a constructor that then threw: built no more, so checked again. */
        static Node leaked;

        Node(String failing) {
            leaked = this;
            grow(1); // exempt: being built
            if (failing != null) {
                throw new IllegalStateException(failing); // the construction ends by an exception
            }
        }

        void grow(int n) {
            size += n;
        }

        int shrink() {
            return --size;
        }
    }

    enum Colour {
        RED
    }

    record Point(int x, String label, Colour colour) {}

    /** Issue 27 item 15: final guarded fields, mutable (checked) and immutable (exempt). */
    @SuppressWarnings("GuardedBy")
    static final class Registry {
        private final Object lock = new Object();

        @javax.annotation.concurrent.GuardedBy("lock")
        private final java.util.Map<String, String> map = new java.util.HashMap<>();

        @javax.annotation.concurrent.GuardedBy("lock")
        private final String name = "registry";

        @javax.annotation.concurrent.GuardedBy("lock")
        private final Point origin = new Point(0, "o", Colour.RED);

        void putLocked(String k) {
            synchronized (lock) {
                map.put(k, name + origin.label());
            }
        }

        void putUnlocked(String k) {
            map.put(k, name + origin.label()); // the map without its lock: reported; name, origin: immutable
        }

        Runnable later() {
            return () -> System.out.println("later " + map.size()); // read off the lock, later
        }
    }

    @SuppressWarnings("GuardedBy")
    private static void guardedShapes() {
        Node head = new Node();
        synchronized (head) {
            head.size++;
        }
        new Node(head);
        new Node(head, 2);
        try {
            new Node("refused");
        } catch (IllegalStateException expected) {
            System.out.println("constructor threw: " + expected.getMessage());
        }
        Node.leaked.shrink(); // its construction ended by the exception: checked
        Registry r = new Registry();
        r.putLocked("a");
        r.putUnlocked("b");
        r.later().run();
    }

    private static final Object FIRST = new Object();
    private static final Object SECOND = new Object();
    private static final Object THIRD = new Object();

    /**
     * Issue 27 item 21: FIRST then SECOND, a chain known after the first round (the fast path),
     * then THIRD under both closes a cycle with THIRD then FIRST: the report lists FIRST and SECOND
     * as held, each with where it was taken.
     */
    private static void heldSites() {
        for (int i = 0; i < 3; i++) {
            synchronized (FIRST) {
                synchronized (SECOND) {
                    Work.touch(SECOND);
                }
            }
        }
        synchronized (THIRD) {
            synchronized (FIRST) {
                Work.touch(FIRST);
            }
        }
        synchronized (FIRST) {
            synchronized (SECOND) {
                synchronized (THIRD) {
                    Work.touch(THIRD);
                }
            }
        }
    }

    private static final java.util.concurrent.locks.Lock ACCOUNTS = new java.util.concurrent.locks.ReentrantLock();
    private static final java.util.concurrent.locks.StampedLock LEDGER = new java.util.concurrent.locks.StampedLock();
    private static final java.util.concurrent.locks.ReentrantReadWriteLock RATES =
            new java.util.concurrent.locks.ReentrantReadWriteLock();
    private static final java.util.concurrent.locks.ReentrantLock AUDIT =
            new java.util.concurrent.locks.ReentrantLock();

    /**
     * Issue 27 item 21, the JDK's locks: ACCOUNTS (through {@code Lock}), LEDGER (a StampedLock's
     * write lock) and RATES (a read-write lock's read view) in a chain known after the first round
     * (the fast path, no stack walked), then AUDIT under all three closes a cycle with AUDIT then
     * ACCOUNTS: the report lists the three with the lines that took them.
     */
    private static void heldSitesJdk() {
        for (int i = 0; i < 3; i++) {
            ACCOUNTS.lock();
            try {
                long stamp = LEDGER.writeLock();
                try {
                    RATES.readLock().lock();
                    RATES.readLock().unlock();
                } finally {
                    LEDGER.unlockWrite(stamp);
                }
            } finally {
                ACCOUNTS.unlock();
            }
        }
        AUDIT.lock();
        try {
            ACCOUNTS.lock();
            ACCOUNTS.unlock();
        } finally {
            AUDIT.unlock();
        }
        ACCOUNTS.lock();
        try {
            long stamp = LEDGER.writeLock();
            try {
                RATES.readLock().lock();
                try {
                    AUDIT.lock();
                    AUDIT.unlock();
                } finally {
                    RATES.readLock().unlock();
                }
            } finally {
                LEDGER.unlockWrite(stamp);
            }
        } finally {
            ACCOUNTS.unlock();
        }
    }

    /**
     * Issue 27 item 9: two {@code Collections.synchronizedList}s {@code addAll}-ed into each other
     * by two threads, each inside its own {@code synchronized (list)} block, as the javadoc asks of
     * callers: a real possible deadlock (each thread holds one list and takes the other).
     */
    private static void syncListsCallerLocked() {
        java.util.List<String> a =
                java.util.Collections.synchronizedList(new java.util.ArrayList<>(java.util.List.of("a")));
        java.util.List<String> b =
                java.util.Collections.synchronizedList(new java.util.ArrayList<>(java.util.List.of("b")));
        Thread first = new Thread(
                () -> {
                    synchronized (a) {
                        b.addAll(a);
                    }
                },
                "a-into-b");
        Thread second = new Thread(
                () -> {
                    synchronized (b) {
                        a.addAll(b);
                    }
                },
                "b-into-a");
        try {
            first.start();
            first.join(20_000);
            second.start();
            second.join(20_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.println("sizes " + a.size() + " " + b.size());
    }
}
