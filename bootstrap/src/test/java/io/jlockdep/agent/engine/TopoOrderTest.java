package io.jlockdep.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.api.Rules;
import io.jlockdep.api.Violation;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The incremental topological order skips cycle searches; it must never skip one that would
 * have found a cycle. Random dependencies are fed to the engine and to a plain reference graph
 * (depth-first reachability): the engine must report exactly the pairs that close a cycle in
 * the reference, and its order must hold for every dependency after each step.
 */
class TopoOrderTest {

    private static boolean reaches(List<BitSet> adj, int from, int to) {
        BitSet seen = new BitSet();
        ArrayList<Integer> stack = new ArrayList<>(List.of(from));
        while (!stack.isEmpty()) {
            int c = stack.remove(stack.size() - 1);
            if (c == to) {
                return true;
            }
            if (!seen.get(c)) {
                seen.set(c);
                adj.get(c).stream().forEach(stack::add);
            }
        }
        return false;
    }

    @Test
    void randomDependenciesAreJudgedExactlyAsAFullSearchWouldAndTheOrderHolds() {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            int n = 40;
            Fixture f = new Fixture();
            LockClass[] cls = new LockClass[n];
            Object[] locks = new Object[n];
            List<BitSet> adj = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                cls[i] = f.cls("c" + i);
                locks[i] = new Fixture.Lock("l" + i);
                adj.add(new BitSet());
            }
            int cycles = 0;
            for (int step = 0; step < 400; step++) {
                int a = random.nextInt(n);
                int b = random.nextInt(n);
                if (a == b || adj.get(a).get(b)) {
                    continue;
                }
                boolean closes = reaches(adj, b, a);
                int before = f.engine.violations().size();
                f.lock(locks[a], cls[a]);
                f.lock(locks[b], cls[b]);
                f.unlock(locks[b], cls[b]);
                f.unlock(locks[a], cls[a]);
                int reported = f.engine.violations().size() - before;
                // A cycle over the same classes as an earlier one is a repeat, not a new report;
                // either way its closing dependency is refused, and any other one is recorded.
                assertThat(f.engine.hasDependency(cls[a], cls[b]))
                        .as("seed %d step %d: %d -> %d closes a cycle: %s", seed, step, a, b, closes)
                        .isEqualTo(!closes);
                assertThat(reported).isLessThanOrEqualTo(closes ? 1 : 0);
                if (closes) {
                    cycles++;
                } else {
                    adj.get(a).set(b);
                }
                assertThat(f.engine.orderConsistent())
                        .as("seed %d step %d", seed, step)
                        .isTrue();
            }
            assertThat(cycles).as("the test exercises both outcomes").isPositive();
            assertThat(f.engine.orderValid()).isTrue();
        }
    }

    @Test
    void aCycleThroughRecursiveReadsSwitchesTheOrderOffAndSearchesStayComplete() {
        Fixture f = new Fixture();
        LockClass r = f.cls("rwlock_t", LockClass.Kind.RWLOCK);
        LockClass m = f.cls("mutex");
        Object lr = new Fixture.Lock("r");
        Object lm = new Fixture.Lock("m");
        // read(r) -> m and m -> read(r): recursive readers do not deadlock (lockdep allows it)
        f.lockMode(lr, r, Lockdep.RECURSIVE_READ, 0);
        f.lock(lm, m);
        f.unlock(lm, m);
        f.unlockMode(lr, r, Lockdep.RECURSIVE_READ);
        f.lock(lm, m);
        f.lockMode(lr, r, Lockdep.RECURSIVE_READ, 0);
        f.unlockMode(lr, r, Lockdep.RECURSIVE_READ);
        f.unlock(lm, m);
        assertThat(f.engine.violations()).isEmpty();
        assertThat(f.engine.orderValid()).isFalse();
        // a write lock of r under m now closes a real cycle, found by the full search
        f.lock(lm, m);
        f.lock(lr, r);
        assertThat(f.engine.violations()).extracting(Violation::rule).containsExactly(Rules.CIRCULAR_DEPENDENCY);
    }
}
