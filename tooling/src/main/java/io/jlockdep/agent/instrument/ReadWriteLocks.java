package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.Advices.lockAdvice;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;

import io.jlockdep.agent.hook.LockView;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;

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
    public AgentBuilder instrument(AgentBuilder builder) {
        return builder.type(named(RRWL))
                .transform((b, type, loader, module, domain) -> b.visit(
                        lockAdvice(JdkLockAdvice.Created.class, LockView.WRITE).on(isConstructor())))
                .type(named(RRWL + "$ReadLock"))
                .transform((b, type, loader, module, domain) -> b.visit(ReentrantLocks.lockMethods(LockView.READ)))
                .type(named(RRWL + "$WriteLock"))
                .transform((b, type, loader, module, domain) -> b.visit(ReentrantLocks.lockMethods(LockView.WRITE)));
    }
}
