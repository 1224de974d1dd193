package io.jlockdep.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.api.LockdepViolationError;
import io.jlockdep.api.Rules;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two threads add A -> B and B -> A at the same moment, each safe alone, a cycle together (the
 * race Guava's CycleDetectingLockFactory has left open since 2015: each thread checks, then
 * inserts, and both can pass the check). Here the check and the insertion of a new dependency are
 * one step under the graph lock, so whichever thread comes second sees the first one's
 * dependency: every round must produce exactly one report, and in fail mode exactly one of the
 * two threads is refused.
 */
class InsertionRaceTest {

    private static final int ROUNDS = 2000;

    private static int race(boolean failFast, AtomicInteger refused) throws Exception {
        Fixture f = new Fixture(LockdepConfig.builder()
                .failFast(failFast)
                .instanceNamer(String::valueOf)
                .build());
        CyclicBarrier barrier = new CyclicBarrier(2);
        LockClass[][] classes = new LockClass[ROUNDS][2];
        for (int r = 0; r < ROUNDS; r++) {
            classes[r][0] = f.cls("A" + r);
            classes[r][1] = f.cls("B" + r);
        }
        Thread[] threads = new Thread[2];
        Exception[] failure = new Exception[1];
        for (int t = 0; t < 2; t++) {
            int first = t;
            threads[t] = new Thread(
                    () -> {
                        try {
                            for (int r = 0; r < ROUNDS; r++) {
                                Object own = new Fixture.Lock("own" + first + "-" + r);
                                Object other = new Fixture.Lock("other" + first + "-" + r);
                                LockClass mine = classes[r][first];
                                LockClass theirs = classes[r][1 - first];
                                f.lock(own, mine);
                                barrier.await(30, TimeUnit.SECONDS);
                                try {
                                    f.lock(other, theirs); // both threads add their dependency now
                                    f.unlock(other, theirs);
                                } catch (LockdepViolationError e) {
                                    refused.incrementAndGet();
                                }
                                f.unlock(own, mine);
                                barrier.await(30, TimeUnit.SECONDS);
                            }
                        } catch (Exception e) {
                            failure[0] = e;
                        }
                    },
                    "racer-" + t);
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(120));
            assertThat(t.isAlive()).isFalse();
        }
        assertThat(failure[0]).isNull();
        return (int) f.reported.stream()
                .filter(v -> v.rule().equals(Rules.CIRCULAR_DEPENDENCY))
                .count();
    }

    @Test
    void everyRoundOfTheRaceIsReportedExactlyOnce() throws Exception {
        assertThat(race(false, new AtomicInteger())).isEqualTo(ROUNDS);
    }

    @Test
    void inFailModeExactlyOneOfTheTwoThreadsIsRefusedEachRound() throws Exception {
        AtomicInteger refused = new AtomicInteger();
        assertThat(race(true, refused)).isEqualTo(ROUNDS);
        assertThat(refused.get()).isEqualTo(ROUNDS);
    }
}
