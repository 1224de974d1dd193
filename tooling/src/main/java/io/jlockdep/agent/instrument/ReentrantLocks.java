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
import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * {@code ReentrantLock}: its constructor (the allocation site is the lock class), lock, tryLock,
 * unlock ({@link JdkLockAdvice}), and the {@code await*} of the conditions of every AQS lock
 * (all holds given up and taken back). Hooks: {@code Hooks.jdkLock*}, {@code Hooks.await*}.
 */
final class ReentrantLocks implements LockFamily {

    private static final String CONDITION = "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject";

    @Override
    public List<String> preloaded() {
        return List.of("java.util.concurrent.locks.ReentrantLock", CONDITION);
    }

    @Override
    public AgentBuilder instrument(AgentBuilder builder) {
        return builder.type(named("java.util.concurrent.locks.ReentrantLock"))
                .transform((b, type, loader, module, domain) -> b.visit(
                                lockAdvice(JdkLockAdvice.Created.class, LockView.MUTEX)
                                        .on(isConstructor()))
                        .visit(lockMethods(LockView.MUTEX)))
                .type(named(CONDITION))
                .transform((b, type, loader, module, domain) -> b.visit(advice(JdkLockAdvice.Await.class)
                        .on(namedOneOf("await", "awaitUninterruptibly", "awaitNanos", "awaitUntil"))));
    }

    /** lock, lockInterruptibly, tryLock and unlock of a {@code Lock} in {@code mode}. */
    static AsmVisitorWrapper lockMethods(LockView mode) {
        return new AsmVisitorWrapper.Compound(
                lockAdvice(JdkLockAdvice.Lock.class, mode)
                        .on(namedOneOf("lock", "lockInterruptibly").and(takesArguments(0))),
                lockAdvice(JdkLockAdvice.TryLock.class, mode).on(named("tryLock")),
                lockAdvice(JdkLockAdvice.Unlock.class, mode).on(named("unlock").and(takesArguments(0))));
    }
}
