package io.jlockdep.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jlockdep.agent.engine.Fixture.Lock;
import io.jlockdep.api.LockdepViolationError;
import io.jlockdep.api.Rules;
import io.jlockdep.api.Violation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each distinct cycle is reported once, and every dependency the engine judged is in its graph
 * (issue 12, items 8 and 14).
 */
class CycleDedupTest {

    @Test
    void aCycleThroughTwoObjectsOfOneClassSaysWhichObjects() {
        Fixture f = new Fixture();
        LockClass a = f.cls("A");
        LockClass b = f.cls("B");
        Lock a1 = new Lock("a1");
        Lock a2 = new Lock("a2");
        Lock lb = new Lock("b");
        f.lock(a1, a);
        f.lock(lb, b);
        f.unlock(lb, b);
        f.unlock(a1, a);
        f.lock(lb, b);
        f.lock(a2, a); // B -> A closes A -> B, on another object of A
        assertThat(f.rules()).containsExactly(Rules.CIRCULAR_DEPENDENCY);
        Violation v = f.reported.get(0);
        assertThat(v.chain())
                .extracting(Violation.ChainLink::fromInstance, Violation.ChainLink::toInstance)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("b", "a2"), org.assertj.core.groups.Tuple.tuple("a1", "b"));
        assertThat(io.jlockdep.api.TextReport.render(v))
                .contains("The cycle joins different objects of one lock class:\n  A: a2 taken after B")
                .contains("a1 held when B was taken")
                .doesNotContain("  B: ");

        Fixture same = new Fixture(); // one object in both places: nothing to say
        same.lock(a1, same.cls("A"));
        same.lock(lb, same.cls("B"));
        same.unlock(lb, same.cls("B"));
        same.unlock(a1, same.cls("A"));
        same.lock(lb, same.cls("B"));
        same.lock(a1, same.cls("A"));
        assertThat(io.jlockdep.api.TextReport.render(same.reported.get(0))).doesNotContain("different objects");
    }

    @Test
    void twoCyclesThroughTheSameHeldClassAreTwoReports() {
        Fixture f = new Fixture();
        LockClass a = f.cls("A");
        LockClass b = f.cls("B");
        LockClass c = f.cls("C");
        Lock la = new Lock("a");
        Lock lb = new Lock("b");
        Lock lc = new Lock("c");
        f.lock(la, a);
        f.lock(lc, c);
        f.unlock(lc, c);
        f.unlock(la, a);
        f.lock(lb, b);
        f.lock(lc, c);
        f.unlock(lc, c);
        f.unlock(lb, b);
        f.lock(lc, c);
        f.lock(la, a); // C -> A closes A -> C
        f.unlock(la, a);
        f.lock(lb, b); // C -> B closes B -> C: another cycle
        f.unlock(lb, b);
        f.unlock(lc, c);
        assertThat(f.rules()).containsExactly(Rules.CIRCULAR_DEPENDENCY, Rules.CIRCULAR_DEPENDENCY);
        assertThat(f.reported.get(0).acquiring().className()).isEqualTo("A");
        assertThat(f.reported.get(1).acquiring().className()).isEqualTo("B");
    }

    @Test
    void inFailModeEachCycleThrowsItsOwnReport() {
        Fixture f = new Fixture(LockdepConfig.builder()
                .failFast(true)
                .instanceNamer(String::valueOf)
                .build());
        LockClass a = f.cls("A");
        LockClass b = f.cls("B");
        LockClass c = f.cls("C");
        Lock la = new Lock("a");
        Lock lb = new Lock("b");
        Lock lc = new Lock("c");
        for (Object[] pair : new Object[][] {{la, a}, {lb, b}}) {
            f.lock(pair[0], (LockClass) pair[1]);
            f.lock(lc, c);
            f.unlock(lc, c);
            f.unlock(pair[0], (LockClass) pair[1]);
        }
        f.lock(lc, c);
        assertThatThrownBy(() -> f.lock(la, a))
                .isInstanceOf(LockdepViolationError.class)
                .hasMessageContaining("trying to acquire A while holding C");
        assertThatThrownBy(() -> f.lock(lb, b))
                .isInstanceOf(LockdepViolationError.class)
                .hasMessageContaining("trying to acquire B while holding C");
    }

    @Test
    void reversingEveryPairOfNLocksReportsEachOfTheCyclesExactlyOnce() {
        int n = 5;
        Fixture f = new Fixture();
        LockClass[] cls = new LockClass[n];
        Lock[] locks = new Lock[n];
        for (int i = 0; i < n; i++) {
            cls[i] = f.cls("L" + i);
            locks[i] = new Lock("l" + i);
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                f.lock(locks[i], cls[i]);
                f.lock(locks[j], cls[j]);
                f.unlock(locks[j], cls[j]);
                f.unlock(locks[i], cls[i]);
            }
        }
        for (int round = 0; round < 2; round++) { // the second round only repeats
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    f.lock(locks[j], cls[j]);
                    f.lock(locks[i], cls[i]);
                    f.unlock(locks[i], cls[i]);
                    f.unlock(locks[j], cls[j]);
                }
            }
        }
        assertThat(f.reported).hasSize(n * (n - 1) / 2);
        Set<String> pairs = new HashSet<>();
        for (Violation v : f.reported) {
            pairs.add(v.acquiring().className() + "<" + v.held().get(0).className());
        }
        assertThat(pairs).as("every reversed pair, once").hasSize(n * (n - 1) / 2);
    }

    @Test
    void theSameCycleFoundAgainIsARepeatNotASecondReport() {
        Fixture f = new Fixture();
        LockClass a = f.cls("A");
        LockClass b = f.cls("B");
        Lock la = new Lock("a");
        Lock lb = new Lock("b");
        f.lock(la, a);
        f.lock(lb, b);
        f.unlock(lb, b);
        f.unlock(la, a);
        for (int i = 0; i < 3; i++) {
            f.lock(lb, b);
            f.lock(la, a);
            f.unlock(la, a);
            f.unlock(lb, b);
        }
        assertThat(f.reported).hasSize(1);
    }

    @Test
    void theDependencyThatClosedAReportedCycleIsInTheGraphOutput() {
        Fixture f = new Fixture();
        LockClass a = f.cls("A");
        LockClass b = f.cls("B");
        Lock la = new Lock("a");
        Lock lb = new Lock("b");
        f.lock(la, a);
        f.lock(lb, b);
        f.unlock(lb, b);
        f.unlock(la, a);
        f.lock(lb, b);
        f.lock(la, a);
        assertThat(f.rules()).containsExactly(Rules.CIRCULAR_DEPENDENCY);
        List<String> deps = new ArrayList<>();
        for (Edge e : f.engine.dependencies()) {
            deps.add(e.from().name() + "->" + e.to().name() + (e.closesCycle() ? " (closes)" : ""));
        }
        assertThat(deps).containsExactly("A->B", "B->A (closes)");
        assertThat(f.engine.hasDependency(b, a))
                .as("not in the searched graph, which stays acyclic")
                .isFalse();
        assertThat(f.engine.edgeBetween(b, a))
                .as("the watchdog's history finds it")
                .isNotNull();
    }

    @Test
    void aMonitorTheThreadNoLongerHoldsIsDroppedBeforeItCanBeReportedAsHeld() {
        Fixture f = new Fixture();
        LockClass m = f.cls("M", LockClass.Kind.MONITOR);
        LockClass other = f.cls("O");
        Object monitor = new Object();
        synchronized (monitor) {
            f.lock(monitor, m);
            // the exit event is lost (a StackOverflowError in the hook): the JVM released the monitor
        }
        assertThat(f.engine.heldLocks()).hasSize(1);
        Lock lo = new Lock("o");
        f.lock(lo, other); // a new chain: the slow path resynchronises first, so no dependency M -> O
        assertThat(f.engine.hasDependency(m, other)).isFalse();
        f.unlock(lo, other);
        assertThat(f.engine.checkNothingHeld("the end")).isTrue();
        assertThat(f.reported).isEmpty();
    }

    @Test
    void aMonitorStillHeldStaysHeld() {
        Fixture f = new Fixture();
        LockClass m = f.cls("M", LockClass.Kind.MONITOR);
        Object monitor = new Object();
        synchronized (monitor) {
            f.lock(monitor, m);
            assertThat(f.engine.checkNothingHeld("inside")).isFalse();
            f.unlock(monitor, m);
        }
        assertThat(f.rules()).containsExactly(Rules.HELD_LOCK_AT_EXIT);
    }
}
