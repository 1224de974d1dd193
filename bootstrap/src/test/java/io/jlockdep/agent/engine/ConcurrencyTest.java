package io.jlockdep.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.agent.engine.Fixture.Lock;
import io.jlockdep.api.Rules;
import io.jlockdep.api.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The engine under real threads: reports exactly once, and a consistent graph under load. */
class ConcurrencyTest {

    static final int TIMEOUT_S = 30;

    static Thread start(String name, Runnable body, AtomicReference<Throwable> failure) {
        Thread t = new Thread(
                () -> {
                    try {
                        body.run();
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                },
                name);
        t.start();
        return t;
    }

    static void joinAll(List<Thread> threads, AtomicReference<Throwable> failure) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            assertThat(t.isAlive()).as(t.getName() + " finished in time").isFalse();
        }
        if (failure.get() != null) {
            throw new AssertionError("a worker failed", failure.get());
        }
    }

    @Test
    void abbaAcrossThreadsThatNeverDeadlockIsReportedExactlyOnce() throws Exception {
        Fixture f = new Fixture();
        LockClass a = f.cls("A");
        LockClass b = f.cls("B");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            Lock la = new Lock("a" + round);
            Lock lb = new Lock("b" + round);
            CountDownLatch firstDone = new CountDownLatch(1);
            threads.add(start(
                    "ab-" + round,
                    () -> {
                        f.lock(la, a);
                        f.lock(lb, b);
                        f.unlock(lb, b);
                        f.unlock(la, a);
                        firstDone.countDown();
                    },
                    failure));
            threads.add(start(
                    "ba-" + round,
                    () -> {
                        try {
                            assertThat(firstDone.await(TIMEOUT_S, TimeUnit.SECONDS))
                                    .isTrue();
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                        f.lock(lb, b); // the other order, but only after the first thread is done: no deadlock
                        f.lock(la, a);
                        f.unlock(la, a);
                        f.unlock(lb, b);
                    },
                    failure));
        }
        joinAll(threads, failure);
        assertThat(f.rules()).containsExactly(Rules.CIRCULAR_DEPENDENCY);
        Violation v = f.reported.get(0);
        assertThat(v.threadName()).startsWith("ba-");
        assertThat(v.chain().get(1).thread())
                .as("the first occurrence of A -> B")
                .startsWith("ab-");
    }

    @Test
    void racingOppositeOrdersReportExactlyOnce() throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            Fixture f = new Fixture();
            LockClass a = f.cls("A");
            LockClass b = f.cls("B");
            int n = 8;
            CyclicBarrier barrier = new CyclicBarrier(n);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                boolean forward = t % 2 == 0;
                threads.add(start(
                        "racer-" + t,
                        () -> {
                            Lock la = new Lock("a");
                            Lock lb = new Lock("b");
                            try {
                                barrier.await(TIMEOUT_S, TimeUnit.SECONDS);
                            } catch (Exception e) {
                                throw new AssertionError(e);
                            }
                            for (int i = 0; i < 200; i++) {
                                Lock first = forward ? la : lb;
                                Lock second = forward ? lb : la;
                                LockClass c1 = forward ? a : b;
                                LockClass c2 = forward ? b : a;
                                f.lock(first, c1);
                                f.lock(second, c2);
                                f.unlock(second, c2);
                                f.unlock(first, c1);
                            }
                        },
                        failure));
            }
            joinAll(threads, failure);
            assertThat(f.rules()).as("attempt " + attempt).containsExactly(Rules.CIRCULAR_DEPENDENCY);
            assertThat(f.engine.edgeCount())
                    .as("exactly one of A->B, B->A is recorded")
                    .isEqualTo(1);
        }
    }

    @Test
    void manyThreadsOnTheFastPathKeepTheGraphConsistent() throws Exception {
        Fixture f = new Fixture();
        int classes = 12;
        LockClass[] cls = new LockClass[classes];
        for (int i = 0; i < classes; i++) {
            cls[i] = f.cls("L" + i);
        }
        int n = 8;
        int iterations = 20_000;
        CyclicBarrier barrier = new CyclicBarrier(n);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            long seed = t;
            threads.add(start(
                    "fast-" + t,
                    () -> {
                        SplittableRandom random = new SplittableRandom(seed);
                        Lock[] mine = new Lock[classes];
                        for (int i = 0; i < classes; i++) {
                            mine[i] = new Lock("t" + seed + "-" + i);
                        }
                        try {
                            barrier.await(TIMEOUT_S, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                        int[] taken = new int[classes];
                        for (int it = 0; it < iterations; it++) {
                            // a random subset in the one global order L0 < L1 < ... : never a cycle
                            int k = 0;
                            for (int i = 0; i < classes; i++) {
                                if (random.nextInt(3) == 0) {
                                    boolean tryIt = random.nextInt(5) == 0;
                                    if (tryIt) {
                                        f.trylock(mine[i], cls[i]);
                                    } else {
                                        f.lockMode(mine[i], cls[i], Lockdep.WRITE, Lockdep.REENTRANT);
                                        if (random.nextBoolean()) { // re-entry
                                            f.lockMode(mine[i], cls[i], Lockdep.WRITE, Lockdep.REENTRANT);
                                            f.unlock(mine[i], cls[i]);
                                        }
                                    }
                                    taken[k++] = i;
                                }
                            }
                            for (int j = k - 1; j >= 0; j--) {
                                f.unlock(mine[taken[j]], cls[taken[j]]);
                            }
                        }
                        assertThat(f.engine.heldLocks()).isEmpty();
                        f.engine.threadEnd();
                    },
                    failure));
        }
        joinAll(threads, failure);
        assertThat(f.reported).isEmpty();
        assertThat(f.notices).isEmpty();
        assertThat(f.engine.allHeldLocks()).isEmpty();
        for (Edge e : f.engine.dependencies()) {
            int from = Integer.parseInt(e.from().name().substring(1));
            int to = Integer.parseInt(e.to().name().substring(1));
            assertThat(from)
                    .as("every edge follows the global order: " + e.from() + " -> " + e.to())
                    .isLessThan(to);
        }
        assertThat(f.engine.edgeCount()).isPositive().isLessThanOrEqualTo(classes * (classes - 1) / 2);
    }

    @Test
    void theHeldLocksDumpKeepsTwoThreadsOfOneNameApart() throws Exception {
        // Found reading the dump: its map was keyed by thread name, so the second "worker" hid
        // the first one's locks. The kernel names a task "name/pid"; the dump does too.
        Fixture f = new Fixture();
        LockClass cls = f.cls("Pool");
        CountDownLatch holding = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Object lock = new Object();
            Thread t = new Thread(
                    () -> {
                        try {
                            f.lock(lock, cls);
                            holding.countDown();
                            assertThat(release.await(20, TimeUnit.SECONDS)).isTrue();
                            f.unlock(lock, cls);
                        } catch (Throwable e) {
                            failure.set(e);
                        }
                    },
                    "worker");
            workers.add(t);
            t.start();
        }
        try {
            assertThat(holding.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(f.engine.allHeldLocks().keySet())
                    .containsExactlyInAnyOrder(
                            "worker/" + workers.get(0).getId(),
                            "worker/" + workers.get(1).getId());
        } finally {
            release.countDown();
            for (Thread t : workers) {
                t.join(TimeUnit.SECONDS.toMillis(20));
            }
        }
        assertThat(failure.get()).isNull();
        assertThat(f.engine.allHeldLocks()).isEmpty();
    }
}
