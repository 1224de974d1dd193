package io.jlockdep.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.agent.engine.Fixture.Lock;
import io.jlockdep.api.Rules;
import org.junit.jupiter.api.Test;

/** Stacks are kept with bounded memory (issue 12, item 3). */
class StackStoreTest {

    private static StackTraceElement[] trace(String prefix, int depth) {
        StackTraceElement[] t = new StackTraceElement[depth];
        for (int i = 0; i < depth; i++) {
            t[i] = new StackTraceElement(prefix + ".C" + i, "m", "C" + i + ".java", i + 1);
        }
        return t;
    }

    @Test
    void aDeepTraceIsCutAtTheCapWithAMarker() {
        StackStore store = new StackStore(4, 1000);
        StackTraceElement[] kept = store.keep(trace("a", 5));
        assertThat(kept).hasSize(5);
        assertThat(kept[3].getClassName()).isEqualTo("a.C3");
        assertThat(kept[4].toString()).contains("deeper frames not kept: stack depth cap 4");
        assertThat(store.keep(trace("b", 4)))
                .as("a trace within the cap is whole")
                .hasSize(4);
    }

    @Test
    void identicalTracesAreOneArrayAndFramesAreShared() {
        StackStore store = new StackStore(64, 1000);
        StackTraceElement[] first = store.keep(trace("a", 10));
        StackTraceElement[] again = store.keep(trace("a", 10));
        assertThat(again).isSameAs(first);
        long used = store.used();
        StackTraceElement[] other = trace("a", 10);
        other[0] = new StackTraceElement("z.Top", "m", "Top.java", 1);
        StackTraceElement[] kept = store.keep(other);
        assertThat(kept[1]).as("a shared frame is the same object").isSameAs(first[1]);
        assertThat(store.used() - used)
                .as("one new frame and one new trace of ten references")
                .isEqualTo(11);
        assertThat(store.traceCount()).isEqualTo(2);
    }

    @Test
    void pastTheBudgetATraceKeepsOnlyAKnownFirstFrame() {
        StackStore store = new StackStore(64, 50);
        StackTraceElement[] first = store.keep(trace("a", 20)); // 20 frames + 20 refs = 40 slots
        assertThat(store.exhausted()).isFalse();
        StackTraceElement[] over = store.keep(trace("a", 20 - 1)); // would need 19 more slots
        assertThat(store.exhausted()).isTrue();
        assertThat(over).hasSize(2);
        assertThat(over[0]).isSameAs(first[0]);
        assertThat(over[1]).isSameAs(StackStore.BUDGET_MARKER);
        assertThat(store.keep(trace("new", 6))).containsExactly(StackStore.BUDGET_MARKER);
        assertThat(store.used()).isLessThanOrEqualTo(50);
    }

    @Test
    void theEngineSaysOnceWhenItStopsKeepingStacksAndKeepsValidating() {
        Fixture f = new Fixture(LockdepConfig.builder()
                .maxStackEntries(1)
                .instanceNamer(String::valueOf)
                .build());
        LockClass a = f.cls("A");
        LockClass b = f.cls("B");
        LockClass c = f.cls("C");
        Lock la = new Lock("a");
        Lock lb = new Lock("b");
        Lock lc = new Lock("c");
        f.lock(la, a);
        f.lock(lb, b);
        f.lock(lc, c);
        f.unlock(lc, c);
        f.unlock(lb, b);
        f.unlock(la, a);
        f.lock(lc, c);
        f.lock(la, a);
        assertThat(f.rules()).containsExactly(Rules.CIRCULAR_DEPENDENCY);
        assertThat(f.notices).singleElement().asString().startsWith("MAX_STACK_TRACE_ENTRIES too low");
        assertThat(f.reported.get(0).stack()).contains(StackStore.BUDGET_MARKER);
    }

    @Test
    void aDependencyTakenDeepInARecursionKeepsAtMostTheCappedDepth() {
        Fixture f = new Fixture(LockdepConfig.builder()
                .maxStackDepth(8)
                .instanceNamer(String::valueOf)
                .build());
        LockClass a = f.cls("A");
        LockClass b = f.cls("B");
        recurse(200, () -> {
            f.lock(new Lock("a"), a);
            f.lock(new Lock("b"), b);
        });
        Edge e = f.engine.dependencies().get(0);
        assertThat(e.stack()).hasSize(9);
        assertThat(e.stack()[8].toString()).contains("stack depth cap 8");
    }

    private static void recurse(int depth, Runnable body) {
        if (depth == 0) {
            body.run();
        } else {
            recurse(depth - 1, body);
        }
    }

    @Test
    void recordedStacksStartAfterTheFramesTheConfigurationNames() {
        Fixture plain = new Fixture();
        Fixture skipping = new Fixture(LockdepConfig.builder()
                .instanceNamer(String::valueOf)
                .skippedFrames(java.util.List.of(Fixture.class.getName()))
                .build());
        for (Fixture f : java.util.List.of(plain, skipping)) {
            f.lock(new Lock("a"), f.cls("A"));
            f.lock(new Lock("b"), f.cls("B"));
        }
        assertThat(plain.engine.dependencies().get(0).stack()[0].getClassName()).isEqualTo(Fixture.class.getName());
        assertThat(skipping.engine.dependencies().get(0).stack()[0].getClassName())
                .as("the engine's own frames and the named ones are left out")
                .isEqualTo(StackStoreTest.class.getName());
    }
}
