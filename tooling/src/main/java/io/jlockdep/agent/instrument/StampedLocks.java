package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.Advices.advice;
import static io.jlockdep.agent.instrument.Advices.lockAdvice;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.jlockdep.agent.hook.LockView;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * {@code StampedLock}: not reentrant, no owner; write and read stamps, try-variants, unlocks by
 * stamp and the conversions ({@link StampedAdvice}). Hooks: {@code Hooks.stamped*}.
 */
final class StampedLocks implements LockFamily {

    private static final String TYPE = "java.util.concurrent.locks.StampedLock";

    @Override
    public List<String> preloaded() {
        return List.of(TYPE);
    }

    @Override
    public AgentBuilder instrument(AgentBuilder builder) {
        return builder.type(named(TYPE))
                .transform((b, type, loader, module, domain) -> b.visit(
                                advice(StampedAdvice.Created.class).on(isConstructor()))
                        .visit(lockAdvice(StampedAdvice.Lock.class, LockView.WRITE)
                                .on(namedOneOf("writeLock", "writeLockInterruptibly")
                                        .and(takesArguments(0))))
                        .visit(lockAdvice(StampedAdvice.Lock.class, LockView.READ)
                                .on(namedOneOf("readLock", "readLockInterruptibly")
                                        .and(takesArguments(0))))
                        .visit(lockAdvice(StampedAdvice.TryStamp.class, LockView.WRITE)
                                .on(named("tryWriteLock")))
                        .visit(lockAdvice(StampedAdvice.TryStamp.class, LockView.READ)
                                .on(named("tryReadLock")))
                        .visit(lockAdvice(StampedAdvice.Unlock.class, LockView.WRITE)
                                .on(namedOneOf("unlockWrite", "unstampedUnlockWrite")))
                        .visit(lockAdvice(StampedAdvice.Unlock.class, LockView.READ)
                                .on(namedOneOf("unlockRead", "unstampedUnlockRead")))
                        .visit(lockAdvice(StampedAdvice.TryUnlock.class, LockView.WRITE)
                                .on(named("tryUnlockWrite")))
                        .visit(lockAdvice(StampedAdvice.TryUnlock.class, LockView.READ)
                                .on(named("tryUnlockRead")))
                        .visit(lockAdvice(StampedAdvice.Convert.class, LockView.WRITE)
                                .on(named("tryConvertToWriteLock")))
                        .visit(lockAdvice(StampedAdvice.Convert.class, LockView.READ)
                                .on(named("tryConvertToReadLock")))
                        .visit(lockAdvice(StampedAdvice.Convert.class, LockView.OPTIMISTIC)
                                .on(named("tryConvertToOptimisticRead"))));
    }
}
