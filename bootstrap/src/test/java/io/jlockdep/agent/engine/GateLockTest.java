package io.jlockdep.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.api.Rules;
import io.jlockdep.api.Violation;
import org.junit.jupiter.api.Test;

/**
 * Gate locks: a cycle whose every dependency was taken while one common outer lock was held
 * cannot deadlock (the outer lock serialises them), and is not reported by default; the same
 * cycle without the guard, or once one of its dependencies is taken without the guard, is.
 */
class GateLockTest {

    private final Fixture f = new Fixture();
    private final LockClass g = f.cls("G");
    private final LockClass h = f.cls("H");
    private final LockClass a = f.cls("A");
    private final LockClass b = f.cls("B");
    private final Object lg = new Fixture.Lock("g");
    private final Object lh = new Fixture.Lock("h");
    private final Object la = new Fixture.Lock("a");
    private final Object lb = new Fixture.Lock("b");

    private void take(Object guard, LockClass guardClass, Object first, LockClass c1, Object second, LockClass c2) {
        if (guard != null) {
            f.lock(guard, guardClass);
        }
        f.lock(first, c1);
        f.lock(second, c2);
        f.unlock(second, c2);
        f.unlock(first, c1);
        if (guard != null) {
            f.unlock(guard, guardClass);
        }
    }

    @Test
    void anAbbaGuardedByOneOuterLockIsSilent() {
        take(lg, g, la, a, lb, b);
        take(lg, g, lb, b, la, a);
        assertThat(f.reported).isEmpty();
    }

    @Test
    void theSameAbbaWithoutTheGuardIsReportedAndSaysNoGateWasHeld() {
        take(null, null, la, a, lb, b);
        take(null, null, lb, b, la, a);
        assertThat(f.reported).extracting(Violation::rule).containsExactly(Rules.CIRCULAR_DEPENDENCY);
        assertThat(f.reported.get(0).message()).contains("Gate locks considered: none");
    }

    @Test
    void twoDifferentGuardsDoNotSerialiseAnything() {
        take(lg, g, la, a, lb, b);
        take(lh, h, lb, b, la, a);
        assertThat(f.reported).extracting(Violation::rule).containsExactly(Rules.CIRCULAR_DEPENDENCY);
        assertThat(f.reported.get(0).message())
                .contains("Gate locks considered: h (H) (not held when A -> B was taken)");
    }

    @Test
    void aGuardedCycleIsReportedOnceADependencyOfItIsTakenWithoutTheGuard() {
        take(lg, g, la, a, lb, b);
        take(lg, g, lb, b, la, a);
        assertThat(f.reported).isEmpty();
        take(null, null, la, a, lb, b); // A -> B now also outside G: the cycle can deadlock
        assertThat(f.reported).extracting(Violation::rule).containsExactly(Rules.CIRCULAR_DEPENDENCY);
    }

    @Test
    void withGateLocksOffTheGuardedAbbaIsReportedAsLockdepWould() {
        Fixture strict = new Fixture(LockdepConfig.builder()
                .gateLocks(false)
                .instanceNamer(String::valueOf)
                .build());
        LockClass sg = strict.cls("G");
        LockClass sa = strict.cls("A");
        LockClass sb = strict.cls("B");
        for (boolean inverted : new boolean[] {false, true}) {
            strict.lock(lg, sg);
            strict.lock(inverted ? lb : la, inverted ? sb : sa);
            strict.lock(inverted ? la : lb, inverted ? sa : sb);
            strict.unlock(inverted ? la : lb, inverted ? sa : sb);
            strict.unlock(inverted ? lb : la, inverted ? sb : sa);
            strict.unlock(lg, sg);
        }
        assertThat(strict.reported).extracting(Violation::rule).containsExactly(Rules.CIRCULAR_DEPENDENCY);
    }

    @Test
    void aLongerCycleUnderOneGateIsSilentAndOneLegOutsideItIsNot() {
        LockClass c = f.cls("C");
        Object lc = new Fixture.Lock("c");
        take(lg, g, la, a, lb, b);
        take(lg, g, lb, b, lc, c);
        take(lg, g, lc, c, la, a);
        assertThat(f.reported).isEmpty();
        take(null, null, lb, b, lc, c);
        assertThat(f.reported).extracting(Violation::rule).containsExactly(Rules.CIRCULAR_DEPENDENCY);
    }

    @Test
    void twoInstancesOfOneGuardClassDoNotSerialiseAnything() {
        Object otherG = new Fixture.Lock("g2");
        take(lg, g, la, a, lb, b);
        take(otherG, g, lb, b, la, a); // another G: both can run at once
        assertThat(f.reported).extracting(Violation::rule).containsExactly(Rules.CIRCULAR_DEPENDENCY);
    }

    @Test
    void aSharedHoldIsNoGate() {
        f.lockMode(lg, g, Lockdep.READ, 0);
        f.lock(la, a);
        f.lock(lb, b);
        f.unlock(lb, b);
        f.unlock(la, a);
        f.unlockMode(lg, g, Lockdep.READ);
        f.lockMode(lg, g, Lockdep.READ, 0);
        f.lock(lb, b);
        f.lock(la, a);
        assertThat(f.reported).extracting(Violation::rule).containsExactly(Rules.CIRCULAR_DEPENDENCY);
    }
}
