package io.jlockdep.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.api.Rules;
import io.jlockdep.api.Violation;
import org.junit.jupiter.api.Test;

/**
 * A held lock given a finer class (a monitor's role, told once another object of its class is
 * taken under it: issue 28). The dependency from it to the lock taken right after it is the
 * finer class's from then on, checked as at that lock's acquisition; the chain keys above it
 * follow.
 */
class ReclassTest {

    private final Fixture f = new Fixture();
    private final LockClass pooled = f.cls("Pooled");
    private final LockClass outer = f.cls("Pooled made at outer");
    private final LockClass inner = f.cls("Pooled made at inner");
    private final LockClass close = f.cls("closeLock");
    private final Object connection = new Fixture.Lock("connection");
    private final Object statement = new Fixture.Lock("statement");
    private final Object closeLock = new Fixture.Lock("closeLock");

    @Test
    void anotherObjectOfTheClassHeldIsFoundAndNotTheLockItself() {
        f.lock(connection, pooled);
        assertThat(f.engine.heldOther(pooled, statement)).isSameAs(connection);
        assertThat(f.engine.heldOther(pooled, connection)).isNull();
        assertThat(f.engine.heldOther(close, statement)).isNull();
        f.unlock(connection, pooled);
        assertThat(f.engine.heldOther(pooled, statement)).isNull();
    }

    @Test
    void theReclassedEntryGivesItsNewClassTheDependencyToTheLockAboveIt() {
        f.lock(connection, pooled);
        f.lock(closeLock, close);
        f.engine.reclassHeld(connection, outer);
        f.lock(statement, inner);
        f.unlock(statement, inner);
        f.unlock(closeLock, close);
        f.unlock(connection, outer); // released by instance, under its new class
        assertThat(f.engine.hasDependency(outer, close)).isTrue();
        assertThat(f.engine.hasDependency(close, inner)).isTrue();
        assertThat(f.engine.hasDependency(pooled, close))
                .as("what the old class recorded stays")
                .isTrue();
        assertThat(f.reported).isEmpty();
        assertThat(f.engine.heldOther(outer, statement)).isNull();
    }

    @Test
    void aCycleTheNewClassClosesIsReportedWhenTheEntryIsReclassed() {
        f.lock(closeLock, close);
        f.lock(connection, outer);
        f.unlock(connection, outer);
        f.unlock(closeLock, close); // closeLock -> outer
        f.lock(connection, pooled);
        f.lock(closeLock, close); // pooled -> closeLock: no cycle yet
        assertThat(f.reported).isEmpty();
        f.engine.reclassHeld(connection, outer); // outer -> closeLock closes closeLock -> outer
        assertThat(f.reported).extracting(Violation::rule).containsExactly(Rules.CIRCULAR_DEPENDENCY);
        f.unlock(closeLock, close);
        f.unlock(connection, outer);
    }

    /** The DBCP order: the inner objects' dependency first, then an outer object's, before any nesting is seen. */
    private void innerThenOuter() {
        f.lock(closeLock, close);
        f.lock(statement, pooled);
        f.unlock(statement, pooled);
        f.unlock(closeLock, close); // closeLock -> Pooled, on the statement's object
        f.lock(connection, pooled);
        f.lock(closeLock, close); // Pooled -> closeLock, on the connection's: joins two objects
        f.unlock(closeLock, close);
        f.unlock(connection, pooled);
    }

    @Test
    void aCycleJoiningTwoObjectsOfAClassWithUndecidedRolesWaitsForTheRunsEnd() {
        f.engine.rolesUndecided(pooled, true);
        innerThenOuter();
        assertThat(f.reported).isEmpty();
        f.engine.releaseDeferred();
        assertThat(f.reported).extracting(Violation::rule).containsExactly(Rules.CIRCULAR_DEPENDENCY);
        assertThat(f.reported.get(0).message())
                .contains("Reported when the run ended: the objects of Pooled are made at several sites");
        f.engine.releaseDeferred();
        assertThat(f.reported).as("released once").hasSize(1);
    }

    @Test
    void aCycleWaitingOnRolesIsDroppedWhenTheClassIsSplit() {
        f.engine.rolesUndecided(pooled, true);
        innerThenOuter();
        f.engine.rolesUndecided(pooled, false);
        f.engine.releaseDeferred();
        assertThat(f.reported).isEmpty();
    }

    @Test
    void aCycleThroughOneObjectOfAClassWithUndecidedRolesIsReportedAtOnce() {
        f.engine.rolesUndecided(pooled, true);
        f.lock(closeLock, close);
        f.lock(connection, pooled);
        f.unlock(connection, pooled);
        f.unlock(closeLock, close);
        f.lock(connection, pooled);
        f.lock(closeLock, close); // the same object on both sides: no role can explain it
        assertThat(f.reported).extracting(Violation::rule).containsExactly(Rules.CIRCULAR_DEPENDENCY);
        f.unlock(closeLock, close);
        f.unlock(connection, pooled);
    }
}
