package io.jlockdep.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.api.Rules;
import io.jlockdep.api.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watchdog's scan on the engine's own view of the threads: each thread here announces an
 * acquisition it never completes (as a thread blocked in lock() would) and then waits on a latch,
 * so the engine sees the waits of a deadlock while the test stays in control; every thread ends
 * when the test releases the latch.
 */
class DeadlockDetectorTest {

    private final Fixture f = new Fixture();
    private final DeadlockDetector detector = new DeadlockDetector(f.engine);
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();

    /** A thread that takes {@code holds} (with their modes and contexts), then waits for {@code wants}. */
    private void waiter(
            String name,
            Object[] holds,
            LockClass[] holdClasses,
            Object[] holdCtx,
            Object wants,
            LockClass wantsClass,
            int wantsMode,
            Object wantsCtx)
            throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(1);
        Thread t = new Thread(
                () -> {
                    for (int i = 0; i < holds.length; i++) {
                        f.engine.acquire(
                                holds[i], holdClasses[i], Lockdep.WRITE, 0, holdCtx == null ? null : holdCtx[i], null);
                        f.engine.acquired(holds[i]);
                    }
                    f.engine.acquire(wants, wantsClass, wantsMode, 0, wantsCtx, null); // announced, never completed
                    ready.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                name);
        t.setDaemon(true);
        t.start();
        threads.add(t);
        assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
    }

    @AfterEach
    void end() throws InterruptedException {
        release.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(t.isAlive()).isFalse();
        }
    }

    private List<Violation> deadlocks() {
        return f.reported.stream().filter(v -> v.rule().equals(Rules.DEADLOCK)).toList();
    }

    @Test
    void twoThreadsWaitingForEachOtherAreReportedOnceOnTheSecondScan() throws InterruptedException {
        LockClass a = f.cls("A");
        LockClass b = f.cls("B");
        Object la = new Fixture.Lock("a");
        Object lb = new Fixture.Lock("b");
        waiter("t1", new Object[] {la}, new LockClass[] {a}, null, lb, b, Lockdep.WRITE, null);
        waiter("t2", new Object[] {lb}, new LockClass[] {b}, null, la, a, Lockdep.WRITE, null);
        assertThat(detector.scan()).as("a first sighting may be a race").isZero();
        assertThat(detector.scan()).isEqualTo(1);
        assertThat(detector.scan()).as("reported once").isZero();
        assertThat(deadlocks()).hasSize(1);
        String m = deadlocks().get(0).message();
        assertThat(m)
                .contains(
                        "2 threads wait for each other",
                        "t1 waits for b (B), held by t2",
                        "t2 waits for a (A), held by t1",
                        "#0: (A) a",
                        "#0: (B) b",
                        "-> A -> B:",
                        "-> B -> A:",
                        "[first taken by t1]");
    }

    @Test
    void threeThreadsInACycle() throws InterruptedException {
        LockClass[] c = {f.cls("A"), f.cls("B"), f.cls("C")};
        Object[] l = {new Fixture.Lock("a"), new Fixture.Lock("b"), new Fixture.Lock("c")};
        for (int i = 0; i < 3; i++) {
            waiter(
                    "t" + i,
                    new Object[] {l[i]},
                    new LockClass[] {c[i]},
                    null,
                    l[(i + 1) % 3],
                    c[(i + 1) % 3],
                    Lockdep.WRITE,
                    null);
        }
        detector.scan();
        assertThat(detector.scan()).isEqualTo(1);
        assertThat(deadlocks().get(0).message())
                .contains("3 threads wait for each other", "t0 waits", "t1 waits", "t2 waits");
    }

    @Test
    void aLongWaitForAHolderThatIsNotWaitingIsNoDeadlock() throws InterruptedException {
        LockClass a = f.cls("A");
        LockClass b = f.cls("B");
        Object la = new Fixture.Lock("a");
        waiter(
                "holder",
                new Object[] {la},
                new LockClass[] {a},
                null,
                new Fixture.Lock("never"),
                b,
                Lockdep.WRITE,
                null);
        waiter("waiter", new Object[0], new LockClass[0], null, la, a, Lockdep.WRITE, null);
        for (int i = 0; i < 5; i++) {
            assertThat(detector.scan()).isZero();
        }
        assertThat(deadlocks()).isEmpty();
    }

    @Test
    void readersDoNotWaitForReaders() throws InterruptedException {
        LockClass rw = f.cls("rw", LockClass.Kind.RWLOCK);
        LockClass m = f.cls("m");
        Object lrw = new Fixture.Lock("rw");
        Object lm = new Fixture.Lock("m");
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(
                () -> {
                    f.engine.acquire(lrw, rw, Lockdep.READ, Lockdep.REENTRANT, null, null);
                    f.engine.acquired(lrw);
                    f.engine.acquire(lm, m, Lockdep.WRITE, 0, null, null);
                    ready.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "reader");
        reader.setDaemon(true);
        reader.start();
        threads.add(reader);
        assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
        waiter("other-reader", new Object[] {lm}, new LockClass[] {m}, null, lrw, rw, Lockdep.READ, null);
        detector.scan();
        assertThat(detector.scan())
                .as("a reader gets a lock other readers hold")
                .isZero();
    }

    @Test
    void wwWaitsUnderContextsResolveThemselvesButAMixedCycleDoesNot() throws InterruptedException {
        LockClass ww = f.cls("reservation_ww_class_mutex", LockClass.Kind.WW_MUTEX);
        LockClass acq = f.cls("reservation_ww_class_acquire", LockClass.Kind.WW_ACQUIRE);
        LockClass mutex = f.cls("driver_mutex");
        Object x = new Fixture.Lock("x");
        Object y = new Fixture.Lock("y");
        Object ctx1 = new Object();
        Object ctx2 = new Object();
        Thread.UncaughtExceptionHandler quiet = (t, e) -> {};
        CountDownLatch ready = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            Object ctx = i == 0 ? ctx1 : ctx2;
            Object holds = i == 0 ? x : y;
            Object wants = i == 0 ? y : x;
            Thread t = new Thread(
                    () -> {
                        f.engine.wwAcquireInit(ctx, acq, ww, null);
                        f.engine.acquire(holds, ww, Lockdep.WRITE, 0, ctx, null);
                        f.engine.acquired(holds);
                        f.engine.acquire(wants, ww, Lockdep.WRITE, 0, ctx, null);
                        ready.countDown();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "ww-" + i);
            t.setUncaughtExceptionHandler(quiet);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
        detector.scan();
        assertThat(detector.scan())
                .as("wait-die or wound-wait backs one of them off")
                .isZero();

        Object z = new Fixture.Lock("z");
        Object lm = new Fixture.Lock("m");
        Object ctx3 = new Object();
        CountDownLatch mixedReady = new CountDownLatch(1);
        Thread withCtx = new Thread(
                () -> {
                    f.engine.wwAcquireInit(ctx3, acq, ww, null);
                    f.engine.acquire(z, ww, Lockdep.WRITE, 0, ctx3, null);
                    f.engine.acquired(z);
                    f.engine.acquire(lm, mutex, Lockdep.WRITE, 0, null, null);
                    mixedReady.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "ww-then-mutex");
        withCtx.setDaemon(true);
        withCtx.start();
        threads.add(withCtx);
        assertThat(mixedReady.await(30, TimeUnit.SECONDS)).isTrue();
        waiter("mutex-then-ww", new Object[] {lm}, new LockClass[] {mutex}, null, z, ww, Lockdep.WRITE, null);
        detector.scan();
        assertThat(detector.scan())
                .as("a wounded context only notices at its next ww wait")
                .isEqualTo(1);
        assertThat(deadlocks().get(0).message()).contains("ww-then-mutex", "mutex-then-ww");
    }
}
