package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.Advices.advice;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * The runtime's ww_mutex: {@code ReservationLock} (lock with and without an acquire context, the
 * slow paths, trylock, unlock) and {@code WwAcquireContext} (init, done, fini), as
 * kernel/locking/ww_mutex.h sees them ({@link WwAdvice}). Hooks: {@code WwHooks}.
 */
final class ReservationLocks implements LockFamily {

    @Override
    public AgentBuilder instrument(AgentBuilder builder) {
        return builder.type(named("io.jlockdep.resv.ReservationLock"))
                .transform((b, type, loader, module, domain) -> b.visit(advice(WwAdvice.Lock.class)
                                .on(namedOneOf("lock", "lockInterruptible").and(takesArguments(1))))
                        .visit(advice(WwAdvice.PlainLock.class)
                                .on(namedOneOf("lock", "lockInterruptible").and(takesArguments(0))))
                        .visit(advice(WwAdvice.LockSlow.class).on(namedOneOf("lockSlow", "lockSlowInterruptible")))
                        .visit(advice(WwAdvice.TryLock.class)
                                .on(named("tryLock").and(takesArguments(1))))
                        .visit(advice(WwAdvice.PlainTryLock.class)
                                .on(named("tryLock").and(takesArguments(0))))
                        .visit(advice(WwAdvice.Unlock.class).on(named("unlock").and(takesArguments(0)))))
                .type(named("io.jlockdep.resv.WwAcquireContext"))
                .transform((b, type, loader, module, domain) -> b.visit(
                                advice(WwAdvice.Init.class).on(named("init").and(takesArguments(1))))
                        .visit(advice(WwAdvice.Done.class).on(named("done")))
                        .visit(advice(WwAdvice.Fini.class).on(named("fini"))));
    }
}
