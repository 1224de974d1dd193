package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.ClassPlan.MethodMatch.named;
import static io.jlockdep.agent.instrument.ClassPlan.MethodMatch.withParameters;

import java.util.List;

/**
 * Thread end: {@code Thread.exit} (platform threads, which the JVM calls before the thread's
 * locals go) and {@code VirtualThread.run} (virtual threads, Java 21+: the thread's whole life),
 * where lockdep's {@code debug_check_no_locks_held} runs: a thread that ends holding a lock is
 * reported and its state dropped. Hook: {@code Hooks.threadEnd}.
 */
final class ThreadEnds implements LockFamily {

    @Override
    public List<String> preloaded() {
        return List.of("java.lang.Thread", "java.lang.VirtualThread");
    }

    @Override
    public List<ClassPlan> plans() {
        return List.of(
                new ClassPlan("java.lang.Thread").on(named(0, "exit"), Patch.enter(HookCalls.threadEnd())),
                new ClassPlan("java.lang.VirtualThread")
                        .on(withParameters("run", "(Ljava/lang/Runnable;)"), Patch.exits(HookCalls.threadEnd())));
    }
}
