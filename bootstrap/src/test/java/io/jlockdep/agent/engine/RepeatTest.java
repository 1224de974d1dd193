package io.jlockdep.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.api.Violation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A violation is delivered once; each later run of the same bad pattern is a repeat. */
class RepeatTest {

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Lockdep engine = new Lockdep(LockdepConfig.defaults(), new ViolationSink() {
        @Override
        public void onViolation(Violation v) {
            events.add("new " + v.rule());
        }

        @Override
        public void onRepeat(Violation first) {
            events.add("repeat " + first.rule());
        }
    });
    private final LockClass a = engine.lockClass("a", "a", LockClass.Kind.MUTEX);
    private final LockClass b = engine.lockClass("b", "b", LockClass.Kind.MUTEX);
    private final Object la = new Object();
    private final Object lb = new Object();

    private void take(Object l, LockClass c) {
        engine.acquire(l, c, Lockdep.WRITE, 0, null, null);
        engine.acquired(l);
    }

    private void inverted() {
        take(lb, b);
        take(la, a); // the same call site each time
        engine.release(la, a, Lockdep.WRITE);
        engine.release(lb, b, Lockdep.WRITE);
    }

    @Test
    void aCycleRunAgainIsARepeatNotANewReport() {
        take(la, a);
        take(lb, b);
        engine.release(lb, b, Lockdep.WRITE);
        engine.release(la, a, Lockdep.WRITE);
        for (int i = 0; i < 3; i++) {
            inverted();
        }
        assertThat(events)
                .containsExactly(
                        "new lockdep/circular-dependency",
                        "repeat lockdep/circular-dependency",
                        "repeat lockdep/circular-dependency");
        assertThat(engine.violations()).hasSize(1);
    }

    @Test
    void correctChainsStayCachedAndSilent() {
        for (int i = 0; i < 3; i++) {
            take(la, a);
            take(lb, b);
            engine.release(lb, b, Lockdep.WRITE);
            engine.release(la, a, Lockdep.WRITE);
        }
        assertThat(events).isEmpty();
        assertThat(engine.chainCount()).isEqualTo(2);
    }
}
