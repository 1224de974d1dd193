package io.jlockdep.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jlockdep.api.LockdepViolationError;
import io.jlockdep.api.Rules;
import io.jlockdep.api.Violation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The sink logs and writes files, which may take the application's locks; a thread holding one
 * of those may itself be waiting for the engine's graph lock (its own new dependency). So the
 * sink must never run under the graph lock: here the sink waits for another thread to validate
 * a new chain, which needs the graph lock. Under the lock that would be a deadlock (the bounded
 * wait fails the test instead).
 */
class SinkOutsideGraphLockTest {

    private final List<String> otherThreadResult = new CopyOnWriteArrayList<>();

    private Lockdep engine(boolean failFast) {
        Lockdep[] self = new Lockdep[1];
        ViolationSink sink = new ViolationSink() {
            @Override
            public void onViolation(Violation violation) {
                CountDownLatch validated = new CountDownLatch(1);
                Thread other = new Thread(
                        () -> {
                            Lockdep e = self[0];
                            LockClass x = e.lockClass("x-" + violation.rule(), "x", LockClass.Kind.MUTEX);
                            LockClass y = e.lockClass("y-" + violation.rule(), "y", LockClass.Kind.MUTEX);
                            Object lx = new Object();
                            Object ly = new Object();
                            e.acquire(lx, x, Lockdep.WRITE, 0, null, null);
                            e.acquired(lx);
                            e.acquire(ly, y, Lockdep.WRITE, 0, null, null); // a new chain: takes the graph lock
                            e.acquired(ly);
                            e.release(ly, y, Lockdep.WRITE);
                            e.release(lx, x, Lockdep.WRITE);
                            validated.countDown();
                        },
                        "logger-thread");
                other.start();
                try {
                    otherThreadResult.add(validated.await(10, TimeUnit.SECONDS) ? "validated" : "blocked");
                    other.join(TimeUnit.SECONDS.toMillis(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void onNotice(String notice) {}
        };
        self[0] = new Lockdep(LockdepConfig.builder().failFast(failFast).build(), sink);
        return self[0];
    }

    private static void abThenBa(Lockdep e) {
        LockClass a = e.lockClass("a", "a", LockClass.Kind.MUTEX);
        LockClass b = e.lockClass("b", "b", LockClass.Kind.MUTEX);
        Object la = new Object();
        Object lb = new Object();
        e.acquire(la, a, Lockdep.WRITE, 0, null, null);
        e.acquired(la);
        e.acquire(lb, b, Lockdep.WRITE, 0, null, null);
        e.acquired(lb);
        e.release(lb, b, Lockdep.WRITE);
        e.release(la, a, Lockdep.WRITE);
        e.acquire(lb, b, Lockdep.WRITE, 0, null, null);
        e.acquired(lb);
        e.acquire(la, a, Lockdep.WRITE, 0, null, null); // closes the cycle: reported from the slow path
    }

    @Test
    void aCycleIsDeliveredAfterTheGraphLockIsReleased() {
        Lockdep e = engine(false);
        abThenBa(e);
        assertThat(e.violations()).extracting(Violation::rule).containsExactly(Rules.CIRCULAR_DEPENDENCY);
        assertThat(otherThreadResult).containsExactly("validated");
    }

    @Test
    void failModeThrowsAfterDeliveringAndRecordsNothingOfTheRefusedAcquisition() {
        Lockdep e = engine(true);
        assertThatThrownBy(() -> abThenBa(e))
                .isInstanceOf(LockdepViolationError.class)
                .hasMessageStartingWith(Rules.CIRCULAR_DEPENDENCY);
        assertThat(otherThreadResult).containsExactly("validated");
        assertThat(e.heldLocks()).extracting(Violation.LockInfo::className).containsExactly("b");
        int edges = e.edgeCount();
        LockClass a = e.lockClass("a", "a", LockClass.Kind.MUTEX);
        Object la = new Object();
        assertThatThrownBy(() -> e.acquire(la, a, Lockdep.WRITE, 0, null, null))
                .as("the refused chain was not cached: it fails again")
                .isInstanceOf(LockdepViolationError.class);
        assertThat(e.edgeCount()).isEqualTo(edges);
    }
}
