package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.ClassPlan.MethodMatch.constructors;

import io.jlockdep.agent.hook.LockView;
import java.util.List;

/**
 * {@code ReentrantReadWriteLock}: its constructor (allocation site = lock class) and its read and
 * write views, as lockdep's read and write acquisitions of one lock. Hooks: {@code Hooks.jdkLock*}.
 */
final class ReadWriteLocks implements LockFamily {

    private static final String RRWL = "java.util.concurrent.locks.ReentrantReadWriteLock";

    @Override
    public List<String> preloaded() {
        return List.of(RRWL, RRWL + "$ReadLock", RRWL + "$WriteLock");
    }

    @Override
    public List<ClassPlan> plans() {
        return List.of(
                new ClassPlan(RRWL).on(constructors(), ReentrantLocks.created(LockView.WRITE)),
                ReentrantLocks.lockMethods(new ClassPlan(RRWL + "$ReadLock"), LockView.READ),
                ReentrantLocks.lockMethods(new ClassPlan(RRWL + "$WriteLock"), LockView.WRITE));
    }
}
