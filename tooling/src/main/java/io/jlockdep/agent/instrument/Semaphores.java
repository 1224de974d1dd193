package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.ClassPlan.MethodMatch.constructors;
import static io.jlockdep.agent.instrument.ClassPlan.MethodMatch.named;
import static io.jlockdep.agent.instrument.ClassPlan.MethodMatch.withParameters;

import io.jlockdep.agent.hook.LockView;
import java.util.List;

/**
 * {@code Semaphore(1)}, a binary semaphore used as a mutex (option {@code semaphores}): acquire,
 * tryAcquire, release. Both constructors take the permits first. Hooks: {@code SemaphoreHooks}.
 */
final class Semaphores implements LockFamily {

    private static final String TYPE = "java.util.concurrent.Semaphore";

    @Override
    public List<String> preloaded() {
        return List.of(TYPE);
    }

    @Override
    public List<ClassPlan> plans() {
        return List.of(new ClassPlan(TYPE)
                .on(constructors(), HookCalls.semaphoreCreated())
                .on(
                        named(0, "acquire", "acquireUninterruptibly"),
                        HookCalls.blockingAcquire(HookCalls.semaphoreAcquireEnter(), Hook.Arg.self()))
                .on(
                        withParameters("tryAcquire", "()", "(JLjava/util/concurrent/TimeUnit;)"),
                        HookCalls.trackedTry(LockView.MUTEX))
                .on(named(0, "release"), HookCalls.semaphoreRelease()));
    }
}
