package io.jlockdep.agent.instrument;

import io.jlockdep.agent.engine.Lockdep;
import io.jlockdep.agent.hook.Hooks;
import io.jlockdep.agent.hook.SemaphoreHooks;
import net.bytebuddy.asm.Advice;

/** Advice inlined into {@code java.util.concurrent.Semaphore}, calling {@link SemaphoreHooks}. */
final class SemaphoreAdvice {

    private SemaphoreAdvice() {}

    /** Both constructors take the permits first. */
    static final class Created {
        @Advice.OnMethodExit
        static void exit(@Advice.This Object semaphore, @Advice.Argument(0) int permits) {
            SemaphoreHooks.created(semaphore, permits);
        }
    }

    /** {@code acquire()}, {@code acquireUninterruptibly()}. */
    static final class Acquire {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object semaphore) {
            SemaphoreHooks.acquireEnter(semaphore);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.This Object semaphore, @Advice.Thrown Throwable thrown) {
            Hooks.jdkLockExit(semaphore, thrown);
        }
    }

    /** {@code tryAcquire()}, {@code tryAcquire(timeout, unit)}: a success is a trylock. */
    static final class TryAcquire {
        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(
                @Advice.This Object semaphore, @Advice.Return boolean success, @Advice.Thrown Throwable thrown) {
            Hooks.trackedTryExit(semaphore, Lockdep.WRITE, thrown == null && success);
        }
    }

    /** {@code release()}. */
    static final class Release {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object semaphore) {
            SemaphoreHooks.release(semaphore);
        }
    }
}
