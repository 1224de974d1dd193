package io.jlockdep.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.api.Rules;
import io.jlockdep.api.Violation;
import org.junit.jupiter.api.Test;

/** Locks of the JDK's own internals are in the graph, but a cycle made of them alone is not reported. */
class InternalLocksTest {

    private final Fixture f = new Fixture();

    private void abba(LockClass a, LockClass b) {
        Object la = new Fixture.Lock("a");
        Object lb = new Fixture.Lock("b");
        f.lock(la, a);
        f.lock(lb, b);
        f.unlock(lb, b);
        f.unlock(la, a);
        f.lock(lb, b);
        f.lock(la, a);
        f.unlock(la, a);
        f.unlock(lb, b);
    }

    @Test
    void aCycleOfJdkInternalLocksAloneIsSilent() {
        LockClass a = f.engine.internalLockClass(
                "jdk-a", "ReentrantLock at java.util.concurrent.LinkedBlockingQueue.<init>", LockClass.Kind.MUTEX);
        LockClass b = f.engine.internalLockClass(
                "jdk-b", "ReentrantLock at java.util.concurrent.ThreadPoolExecutor.<init>", LockClass.Kind.MUTEX);
        abba(a, b);
        assertThat(f.reported).isEmpty();
        assertThat(f.engine.hasDependency(a, b)).as("still in the graph").isTrue();
        assertThat(a.isInternal()).isTrue();
    }

    @Test
    void aCycleThroughOneApplicationLockIsReported() {
        LockClass jdk = f.engine.internalLockClass(
                "jdk-a", "ConcurrentHashMap at java.lang.ClassLoader.<init>", LockClass.Kind.MUTEX);
        LockClass app = f.cls("ReentrantLock at com.example.Cache.<init>");
        abba(jdk, app);
        assertThat(f.reported).extracting(Violation::rule).containsExactly(Rules.CIRCULAR_DEPENDENCY);
    }
}
