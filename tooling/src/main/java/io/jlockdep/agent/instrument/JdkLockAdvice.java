package io.jlockdep.agent.instrument;

import io.jlockdep.agent.hook.Hooks;
import io.jlockdep.agent.hook.LockMode;
import io.jlockdep.agent.hook.LockView;
import io.jlockdep.agent.hook.MonitorHooks;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into {@code java.util.concurrent.locks}: ReentrantLock, the read and write
 * views of ReentrantReadWriteLock, and AbstractQueuedSynchronizer's ConditionObject. A lock
 * instance is identified by its {@code sync} field, which a read-write lock's two views and every
 * condition of the lock share. {@link LockMode} is bound per instrumented class.
 */
final class JdkLockAdvice {

    private JdkLockAdvice() {}

    /** Constructors of ReentrantLock and ReentrantReadWriteLock: record the allocation site. */
    static final class Created {
        @Advice.OnMethodExit
        static void exit(@Advice.This Object lock, @Advice.FieldValue("sync") Object sync, @LockMode LockView mode) {
            Hooks.jdkLockCreated(lock, sync, mode.readWrite);
        }
    }

    /** {@code lock()}, {@code lockInterruptibly()}. */
    static final class Lock {
        @Advice.OnMethodEnter
        static void enter(@Advice.FieldValue("sync") Object sync, @LockMode LockView mode) {
            Hooks.jdkLockEnter(sync, mode.read, mode.readWrite);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.FieldValue("sync") Object sync, @Advice.Thrown Throwable thrown) {
            Hooks.jdkLockExit(sync, thrown);
        }
    }

    /** {@code tryLock()}, {@code tryLock(long, TimeUnit)}. */
    static final class TryLock {
        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(
                @Advice.FieldValue("sync") Object sync,
                @LockMode LockView mode,
                @Advice.Return boolean success,
                @Advice.Thrown Throwable thrown) {
            Hooks.jdkTryLockExit(sync, mode.read, mode.readWrite, thrown == null && success);
        }
    }

    /** {@code unlock()}. */
    static final class Unlock {
        @Advice.OnMethodEnter
        static void enter(@Advice.FieldValue("sync") Object sync, @LockMode LockView mode) {
            Hooks.jdkUnlock(sync, mode.read, mode.readWrite);
        }
    }

    /** {@code ConditionObject.await*}: the lock is released while waiting and held again after. */
    static final class Await {
        @Advice.OnMethodEnter
        static int enter(@Advice.FieldValue("this$0") Object sync) {
            return Hooks.awaitEnter(sync);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.FieldValue("this$0") Object sync, @Advice.Enter int holds) {
            Hooks.awaitExit(sync, holds);
        }
    }

    /** {@code Thread.exit()}, which the JVM calls as a platform thread ends (before its thread locals go). */
    static final class PlatformThreadEnd {
        @Advice.OnMethodEnter
        static void enter() {
            Hooks.threadEnd();
        }
    }

    /** {@code VirtualThread.run(Runnable)}: the virtual thread's whole life. */
    static final class VirtualThreadEnd {
        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit() {
            Hooks.threadEnd();
        }
    }

    /** A {@code synchronized} method: the JVM holds the monitor from before the first instruction to after the last. */
    static final class SynchronizedMethod {
        @Advice.OnMethodEnter
        static void enter(@Advice.This(optional = true) Object self, @Advice.Origin Class<?> type) {
            MonitorHooks.synchronizedMethodEnter(self != null ? self : type);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.This(optional = true) Object self, @Advice.Origin Class<?> type) {
            MonitorHooks.monitorExit(self != null ? self : type);
        }
    }

    /** ConcurrentHashMap constructors. */
    static final class MapCreated {
        @Advice.OnMethodExit
        static void exit(@Advice.This Object map) {
            Hooks.mapCreated(map);
        }
    }

    /** compute, computeIfAbsent, computeIfPresent, merge. */
    static final class MapCompute {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object map) {
            Hooks.mapEnter(map);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.This Object map) {
            Hooks.mapExit(map);
        }
    }
}
