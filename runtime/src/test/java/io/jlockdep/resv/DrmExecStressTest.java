package io.jlockdep.resv;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.testing.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several threads repeatedly lock random, overlapping, unordered sets of reservations through
 * {@link DrmExec}. Without the ww algorithm such transactions deadlock quickly; with it every
 * transaction completes, and per-lock occupancy counters prove that no two holders overlapped.
 */
class DrmExecStressTest {

    private static final int THREADS = 6;
    private static final int LOCKS = 8;
    private static final int TRANSACTIONS_PER_THREAD = 1500;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"wait-die", "wound-wait"})
    void randomOverlappingTransactionsAllCompleteWithoutOverlap(String algorithm) throws Exception {
        WwClass wwClass = algorithm.equals("wait-die") ? WwClass.waitDie("stress_wd") : WwClass.woundWait("stress_ww");
        List<ReservationLock> locks = new ArrayList<>();
        AtomicInteger[] occupancy = new AtomicInteger[LOCKS];
        long[] unguardedCounter = new long[LOCKS]; // only ever touched under its lock
        for (int i = 0; i < LOCKS; i++) {
            locks.add(new ReservationLock(wwClass, "buf" + i));
            occupancy[i] = new AtomicInteger();
        }
        AtomicInteger overlaps = new AtomicInteger();
        AtomicLong retries = new AtomicLong();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Worker<Integer>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = 42L * (t + 1);
            workers.add(Worker.start("stress-" + t, () -> {
                SplittableRandom random = new SplittableRandom(seed);
                start.await();
                int commits = 0;
                for (int n = 0; n < TRANSACTIONS_PER_THREAD; n++) {
                    int size = 2 + random.nextInt(4);
                    int[] picks = new int[size];
                    for (int k = 0; k < size; k++) {
                        picks[k] = random.nextInt(LOCKS); // unordered, duplicates allowed
                    }
                    try (DrmExec exec = new DrmExec(DrmExec.IGNORE_DUPLICATES, wwClass)) {
                        exec.untilAllLocked(e -> {
                            for (int p : picks) {
                                e.lockObj(locks.get(p));
                            }
                        });
                        retries.addAndGet(exec.retries());
                        for (ReservationLock held : exec.objects()) {
                            int i = locks.indexOf(held);
                            if (occupancy[i].incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            unguardedCounter[i]++;
                        }
                        Thread.yield(); // hold the set across a scheduling point: others must contend
                        for (ReservationLock held : exec.objects()) {
                            occupancy[locks.indexOf(held)].decrementAndGet();
                        }
                    }
                    commits++;
                }
                return commits;
            }));
        }
        int total = 0;
        for (Worker<Integer> w : workers) {
            total += w.join();
        }
        assertThat(total).isEqualTo(THREADS * TRANSACTIONS_PER_THREAD);
        assertThat(overlaps.get()).as("two holders of one lock at once").isZero();
        assertThat(locks).noneMatch(ReservationLock::isLocked);
        assertThat(locks).allMatch(l -> l.queueLength() == 0);
        long lockedTotal = 0;
        for (long c : unguardedCounter) {
            lockedTotal += c;
        }
        assertThat(lockedTotal).as("every commit locked at least one buffer").isGreaterThanOrEqualTo(total);
        System.out.printf("%s: %d transactions, %d back-offs%n", algorithm, total, retries.get());
        assertThat(retries.get())
                .as("contention really happened and was resolved by backing off")
                .isPositive();
    }
}
