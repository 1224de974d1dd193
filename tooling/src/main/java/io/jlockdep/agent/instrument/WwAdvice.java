package io.jlockdep.agent.instrument;

import io.jlockdep.agent.hook.WwHooks;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into {@code io.jlockdep.resv.ReservationLock} and {@code WwAcquireContext}.
 * Only {@link Hooks} calls; the ww class is read from the lock's own field.
 */
final class WwAdvice {

    private WwAdvice() {}

    /** {@code lock(ctx)}, {@code lockInterruptible(ctx)}. */
    static final class Lock {
        @Advice.OnMethodEnter
        static void enter(
                @Advice.This Object lock,
                @Advice.FieldValue("wwClass") Object wwClass,
                @Advice.Argument(0) Object ctx) {
            WwHooks.wwLockEnter(lock, wwClass, ctx, 0);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.This Object lock, @Advice.Argument(0) Object ctx, @Advice.Thrown Throwable thrown) {
            WwHooks.wwLockExit(lock, ctx, thrown);
        }
    }

    /** {@code lockSlow(ctx)}, {@code lockSlowInterruptible(ctx)}. */
    static final class LockSlow {
        @Advice.OnMethodEnter
        static void enter(
                @Advice.This Object lock,
                @Advice.FieldValue("wwClass") Object wwClass,
                @Advice.Argument(0) Object ctx) {
            WwHooks.wwLockEnter(lock, wwClass, ctx, io.jlockdep.agent.engine.Lockdep.WW_SLOW);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.This Object lock, @Advice.Argument(0) Object ctx, @Advice.Thrown Throwable thrown) {
            WwHooks.wwLockExit(lock, ctx, thrown);
        }
    }

    /** {@code lock()}, {@code lockInterruptible()}: a plain mutex lock. */
    static final class PlainLock {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object lock, @Advice.FieldValue("wwClass") Object wwClass) {
            WwHooks.wwLockEnter(lock, wwClass, null, 0);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.This Object lock, @Advice.Thrown Throwable thrown) {
            WwHooks.wwLockExit(lock, null, thrown);
        }
    }

    /** {@code tryLock(ctx)}. */
    static final class TryLock {
        @Advice.OnMethodExit
        static void exit(
                @Advice.This Object lock,
                @Advice.FieldValue("wwClass") Object wwClass,
                @Advice.Argument(0) Object ctx,
                @Advice.Return boolean success) {
            WwHooks.wwTryLockExit(lock, wwClass, ctx, success);
        }
    }

    /** {@code tryLock()}. */
    static final class PlainTryLock {
        @Advice.OnMethodExit
        static void exit(
                @Advice.This Object lock,
                @Advice.FieldValue("wwClass") Object wwClass,
                @Advice.Return boolean success) {
            WwHooks.wwTryLockExit(lock, wwClass, null, success);
        }
    }

    /** {@code unlock()}. */
    static final class Unlock {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object lock, @Advice.FieldValue("wwClass") Object wwClass) {
            WwHooks.wwUnlock(lock, wwClass);
        }
    }

    /** {@code WwAcquireContext.init(wwClass)}. */
    static final class Init {
        @Advice.OnMethodExit
        static void exit(@Advice.Return Object ctx, @Advice.Argument(0) Object wwClass) {
            WwHooks.wwInit(ctx, wwClass);
        }
    }

    /** {@code WwAcquireContext.done()}. */
    static final class Done {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object ctx) {
            WwHooks.wwDone(ctx);
        }
    }

    /** {@code WwAcquireContext.fini()}. */
    static final class Fini {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object ctx) {
            WwHooks.wwFini(ctx);
        }
    }
}
