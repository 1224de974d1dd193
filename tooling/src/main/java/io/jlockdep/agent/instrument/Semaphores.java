package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.Advices.advice;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.List;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * {@code Semaphore(1)}, a binary semaphore used as a mutex (option {@code semaphores}): acquire,
 * tryAcquire, release ({@link SemaphoreAdvice}). Hooks: {@code SemaphoreHooks}.
 */
final class Semaphores implements LockFamily {

    private static final String TYPE = "java.util.concurrent.Semaphore";

    @Override
    public List<String> preloaded() {
        return List.of(TYPE);
    }

    @Override
    public AgentBuilder instrument(AgentBuilder builder) {
        return builder.type(named(TYPE))
                .transform((b, type, loader, module, domain) -> b.visit(
                                advice(SemaphoreAdvice.Created.class).on(isConstructor()))
                        .visit(advice(SemaphoreAdvice.Acquire.class)
                                .on(namedOneOf("acquire", "acquireUninterruptibly")
                                        .and(takesArguments(0))))
                        .visit(advice(SemaphoreAdvice.TryAcquire.class)
                                .on(named("tryAcquire")
                                        .and(takesArguments(0).or(takesArguments(long.class, TimeUnit.class)))))
                        .visit(advice(SemaphoreAdvice.Release.class)
                                .on(named("release").and(takesArguments(0)))));
    }
}
