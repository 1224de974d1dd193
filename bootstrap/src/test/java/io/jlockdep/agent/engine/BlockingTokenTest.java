package io.jlockdep.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.api.Rules;
import org.junit.jupiter.api.Test;

/**
 * {@link Lockdep#acquireBlocking} and {@link Lockdep#acquiredBlocking}: the token a blocking lock
 * call's entry hands to its exit settles exactly the entry it left pending, and the checks are
 * those of {@link Lockdep#acquire}.
 */
class BlockingTokenTest {

    private final Fixture f = new Fixture();
    private final LockClass a = f.cls("A");
    private final LockClass b = f.cls("B");
    private final Object lockA = new Fixture.Lock("a");
    private final Object lockB = new Fixture.Lock("b");

    @Test
    void theTokenSettlesThePendingEntryAndAReentryHasNone() {
        Object token = f.engine.acquireBlocking(lockA, a, Lockdep.WRITE, Lockdep.REENTRANT);
        assertThat(token).isNotNull();
        assertThat(f.engine.heldMode(lockA))
                .as("pending: announced, not held yet")
                .isEqualTo(-1);
        f.engine.acquiredBlocking(token, lockA);
        assertThat(f.engine.heldMode(lockA)).isEqualTo(Lockdep.WRITE);
        assertThat(f.engine.acquireBlocking(lockA, a, Lockdep.WRITE, Lockdep.REENTRANT))
                .as("a re-entry leaves nothing pending")
                .isNull();
        f.unlock(lockA, a);
        assertThat(f.engine.heldMode(lockA)).as("one hold left").isEqualTo(Lockdep.WRITE);
        f.unlock(lockA, a);
        assertThat(f.engine.heldMode(lockA)).isEqualTo(-1);
        assertThat(f.reported).isEmpty();
    }

    @Test
    void aTokenForAnotherLockGoesTheLongWayAndSettlesNothingWrong() {
        Object tokenA = f.engine.acquireBlocking(lockA, a, Lockdep.WRITE, Lockdep.REENTRANT);
        f.engine.acquiredBlocking(tokenA, lockB); // not B's entry
        assertThat(f.engine.heldMode(lockA)).as("A is still pending").isEqualTo(-1);
        f.engine.acquiredBlocking(tokenA, lockA);
        assertThat(f.engine.heldMode(lockA)).isEqualTo(Lockdep.WRITE);
        f.unlock(lockA, a);
    }

    @Test
    void blockingAcquisitionsAreValidatedLikeAnyOther() throws Exception {
        f.engine.acquiredBlocking(f.engine.acquireBlocking(lockA, a, Lockdep.WRITE, 0), lockA);
        f.engine.acquiredBlocking(f.engine.acquireBlocking(lockB, b, Lockdep.WRITE, 0), lockB);
        f.unlock(lockB, b);
        f.unlock(lockA, a);
        Thread other = new Thread(() -> {
            f.engine.acquiredBlocking(f.engine.acquireBlocking(lockB, b, Lockdep.WRITE, 0), lockB);
            f.engine.acquiredBlocking(f.engine.acquireBlocking(lockA, a, Lockdep.WRITE, 0), lockA);
            f.unlock(lockA, a);
            f.unlock(lockB, b);
        });
        other.start();
        other.join(10_000);
        assertThat(other.isAlive()).isFalse();
        assertThat(f.rules()).containsExactly(Rules.CIRCULAR_DEPENDENCY);
    }
}
