package io.jlockdep.agent.hook;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.agent.engine.Lockdep;
import io.jlockdep.agent.engine.LockdepConfig;
import io.jlockdep.agent.engine.ViolationSink;
import io.jlockdep.api.Violation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lock classes {@link MonitorHooks} gives monitors, seen through the engine's verdicts: the
 * JDK's private lock objects are the JDK's internal locks, the application's are not.
 */
class MonitorHooksTest {

    private static final List<Violation> REPORTED = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void engine() {
        Lockdep engine = new Lockdep(LockdepConfig.builder().build(), new ViolationSink() {
            @Override
            public void onViolation(Violation violation) {
                REPORTED.add(violation);
            }

            @Override
            public void onNotice(String notice) {}
        });
        Hooks.install(new Hooks.Settings(engine, List.of(), true, true, Map.of(), Map.of()));
    }

    /**
     * What the rewritten {@code synchronized (outer) { synchronized (inner) {} }} calls, around
     * real monitors (the engine checks monitors against {@code Thread.holdsLock}).
     */
    private static void nested(Object outer, int outerSite, Object inner, int innerSite) {
        MonitorHooks.monitorEnter(outer, outerSite, 0);
        synchronized (outer) {
            MonitorHooks.monitorEntered(outer);
            MonitorHooks.monitorEnter(inner, innerSite, 0);
            synchronized (inner) {
                MonitorHooks.monitorEntered(inner);
                MonitorHooks.monitorExit(inner);
            }
            MonitorHooks.monitorExit(outer);
        }
    }

    @Test
    void theJdksPrivateLockObjectsInBothOrdersAreTheJdksBusinessAnApplicationLockWithThemIsNot() {
        Object timerLock = new Object();
        Object treeLock = new Object();
        int timer = MonitorHooks.fieldSite("java.util.TimerTask", "lock");
        int tree = -MonitorHooks.codeSite("java.util.logging.Logger");
        nested(timerLock, timer, treeLock, tree);
        nested(treeLock, tree, timerLock, timer);
        assertThat(REPORTED).as("a cycle of the JDK's internal locks alone").isEmpty();

        Object cacheLock = new Object();
        int cache = MonitorHooks.fieldSite("com.example.Cache", "lock");
        nested(timerLock, timer, cacheLock, cache);
        nested(cacheLock, cache, timerLock, timer);
        assertThat(REPORTED).hasSize(1);
        assertThat(REPORTED.get(0).message()).contains("com.example.Cache.lock", "java.util.TimerTask.lock");
    }
}
