package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.Advices.advice;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Thread end: {@code Thread.exit} (platform threads) and {@code VirtualThread.run} (virtual
 * threads, Java 21+), where lockdep's {@code debug_check_no_locks_held} runs: a thread that ends
 * holding a lock is reported and its state dropped. Hook: {@code Hooks.threadEnd}.
 */
final class ThreadEnds implements LockFamily {

    @Override
    public List<String> preloaded() {
        return List.of("java.lang.Thread", "java.lang.VirtualThread");
    }

    @Override
    public AgentBuilder instrument(AgentBuilder builder) {
        return builder.type(named("java.lang.Thread"))
                .transform((b, type, loader, module, domain) -> b.visit(advice(JdkLockAdvice.PlatformThreadEnd.class)
                        .on(named("exit").and(takesArguments(0)))))
                .type(named("java.lang.VirtualThread"))
                .transform((b, type, loader, module, domain) -> b.visit(advice(JdkLockAdvice.VirtualThreadEnd.class)
                        .on(named("run").and(takesArguments(Runnable.class)))));
    }
}
