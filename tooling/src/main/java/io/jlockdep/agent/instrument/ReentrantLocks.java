package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.ClassPlan.MethodMatch.constructors;
import static io.jlockdep.agent.instrument.ClassPlan.MethodMatch.named;

import io.jlockdep.agent.hook.LockView;
import java.util.List;

/**
 * {@code ReentrantLock}: its constructor (the allocation site is the lock class), lock, tryLock,
 * unlock, and the {@code await*} of the conditions of every AQS lock (all holds given up and
 * taken back). A lock instance is identified by its {@code sync} field, which a read-write lock's
 * two views and every condition of the lock share. Hooks: {@code Hooks.jdkLock*}, {@code Hooks.await*}.
 */
final class ReentrantLocks implements LockFamily {

    private static final String LOCK = "java.util.concurrent.locks.ReentrantLock";
    private static final String CONDITION = "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject";

    @Override
    public List<String> preloaded() {
        return List.of(LOCK, CONDITION);
    }

    @Override
    public List<ClassPlan> plans() {
        return List.of(
                lockMethods(new ClassPlan(LOCK), LockView.MUTEX)
                        .on(constructors(), Patch.exit(HookCalls.jdkLockCreated(SYNC, LockView.MUTEX))),
                new ClassPlan(CONDITION)
                        .on(
                                named("await", "awaitUninterruptibly", "awaitNanos", "awaitUntil"),
                                HookCalls.await(Hook.Arg.field("this$0"))));
    }

    private static final Hook.Arg SYNC = Hook.Arg.field("sync");

    /** lock, lockInterruptibly, tryLock and unlock of a {@code Lock} whose {@code sync} field is the lock, in {@code view}. */
    static ClassPlan lockMethods(ClassPlan plan, LockView view) {
        return plan.on(named(0, "lock", "lockInterruptibly"), HookCalls.blockingJdkLock(SYNC, view))
                .on(named("tryLock"), HookCalls.jdkTryLock(SYNC, view))
                .on(named(0, "unlock"), HookCalls.jdkUnlock(SYNC, view));
    }

    /** The constructor of a lock whose {@code sync} field is its identity. */
    static Patch created(LockView view) {
        return Patch.exit(HookCalls.jdkLockCreated(SYNC, view));
    }
}
