package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.Advices.advice;
import static io.jlockdep.agent.instrument.Advices.lockAdvice;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.jlockdep.agent.hook.LockMode;
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
                        .visit(lockAdvice(StampedAdvice.Lock.class, LockMode.RW_WRITE)
                                .on(namedOneOf("writeLock", "writeLockInterruptibly")
                                        .and(takesArguments(0))))
                        .visit(lockAdvice(StampedAdvice.Lock.class, LockMode.RW_READ)
                                .on(namedOneOf("readLock", "readLockInterruptibly")
                                        .and(takesArguments(0))))
                        .visit(lockAdvice(StampedAdvice.TryStamp.class, LockMode.RW_WRITE)
                                .on(named("tryWriteLock")))
                        .visit(lockAdvice(StampedAdvice.TryStamp.class, LockMode.RW_READ)
                                .on(named("tryReadLock")))
                        .visit(lockAdvice(StampedAdvice.Unlock.class, LockMode.RW_WRITE)
                                .on(namedOneOf("unlockWrite", "unstampedUnlockWrite")))
                        .visit(lockAdvice(StampedAdvice.Unlock.class, LockMode.RW_READ)
                                .on(namedOneOf("unlockRead", "unstampedUnlockRead")))
                        .visit(lockAdvice(StampedAdvice.TryUnlock.class, LockMode.RW_WRITE)
                                .on(named("tryUnlockWrite")))
                        .visit(lockAdvice(StampedAdvice.TryUnlock.class, LockMode.RW_READ)
                                .on(named("tryUnlockRead")))
                        .visit(lockAdvice(StampedAdvice.Convert.class, LockMode.RW_WRITE)
                                .on(named("tryConvertToWriteLock")))
                        .visit(lockAdvice(StampedAdvice.Convert.class, LockMode.RW_READ)
                                .on(named("tryConvertToReadLock")))
                        .visit(lockAdvice(StampedAdvice.Convert.class, LockMode.OPTIMISTIC)
                                .on(named("tryConvertToOptimisticRead"))));
    }
}
