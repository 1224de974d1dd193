package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.ClassPlan.MethodMatch.constructors;
import static io.jlockdep.agent.instrument.ClassPlan.MethodMatch.named;

import io.jlockdep.agent.hook.LockView;
import java.util.List;

/**
 * {@code StampedLock}: not reentrant, no owner; write and read stamps, try-variants, unlocks by
 * stamp and the conversions. A StampedLock is tracked by its own identity (its read and write
 * views call these methods); a second read or a read-to-write wait on the same lock is a
 * self-deadlock. An optimistic read takes nothing. Hooks: {@code Hooks.stamped*}.
 */
final class StampedLocks implements LockFamily {

    private static final String TYPE = "java.util.concurrent.locks.StampedLock";

    @Override
    public List<String> preloaded() {
        return List.of(TYPE);
    }

    @Override
    public List<ClassPlan> plans() {
        Hook.Arg self = Hook.Arg.self();
        return List.of(new ClassPlan(TYPE)
                .on(constructors(), Patch.exit(HookCalls.stampedCreated()))
                .on(
                        named(0, "writeLock", "writeLockInterruptibly"),
                        HookCalls.blockingAcquire(HookCalls.stampedLockEnter(LockView.WRITE), self))
                .on(
                        named(0, "readLock", "readLockInterruptibly"),
                        HookCalls.blockingAcquire(HookCalls.stampedLockEnter(LockView.READ), self))
                .on(named("tryWriteLock"), HookCalls.stampedTry(LockView.WRITE))
                .on(named("tryReadLock"), HookCalls.stampedTry(LockView.READ))
                .on(named("unlockWrite", "unstampedUnlockWrite"), HookCalls.stampedUnlock(LockView.WRITE))
                .on(named("unlockRead", "unstampedUnlockRead"), HookCalls.stampedUnlock(LockView.READ))
                .on(named("tryUnlockWrite"), HookCalls.stampedTryUnlock(LockView.WRITE))
                .on(named("tryUnlockRead"), HookCalls.stampedTryUnlock(LockView.READ))
                .on(named("tryConvertToWriteLock"), HookCalls.stampedConvert(LockView.WRITE))
                .on(named("tryConvertToReadLock"), HookCalls.stampedConvert(LockView.READ))
                .on(named("tryConvertToOptimisticRead"), HookCalls.stampedConvert(LockView.OPTIMISTIC)));
    }
}
