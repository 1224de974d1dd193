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
    }

    private ThirdPass() {}

    public static void main(String[] argv) {
        Runnable scenario = ALL.get(argv[0]);
        if (scenario == null) {
            throw new IllegalArgumentException("no scenario " + argv[0] + "; known: " + ALL.keySet());
        }
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
}
