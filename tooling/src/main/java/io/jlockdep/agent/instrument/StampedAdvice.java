package io.jlockdep.agent.instrument;

import io.jlockdep.agent.hook.Hooks;
import io.jlockdep.agent.hook.LockMode;
import io.jlockdep.agent.hook.LockView;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into {@code java.util.concurrent.locks.StampedLock}. A StampedLock is tracked by
 * its own identity (its read and write views call these methods); it is not re-entrant, so a
 * second read or a read-to-write wait on the same lock is a self-deadlock. An optimistic read
 * takes nothing. {@link LockMode} is bound per method. (Semaphores: {@link SemaphoreAdvice}.)
 */
final class StampedAdvice {

    private StampedAdvice() {}

    /** Constructors. */
    static final class Created {
        @Advice.OnMethodExit
        static void exit(@Advice.This Object lock) {
            Hooks.stampedCreated(lock);
        }
    }

    /** writeLock(), writeLockInterruptibly(), readLock(), readLockInterruptibly(). */
    static final class Lock {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object lock, @LockMode LockView mode) {
            Hooks.stampedLockEnter(lock, mode.read);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.This Object lock, @Advice.Thrown Throwable thrown) {
            Hooks.jdkLockExit(lock, thrown);
        }
    }

    /** tryWriteLock(...), tryReadLock(...): a stamp of 0 is a failure. */
    static final class TryStamp {
        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(
                @Advice.This Object lock,
                @LockMode LockView mode,
                @Advice.Return long stamp,
                @Advice.Thrown Throwable thrown) {
            Hooks.trackedTryExit(lock, mode.read, thrown == null && stamp != 0L);
        }
    }

    /** unlockWrite(stamp), unlockRead(stamp), the views' unstamped unlocks. */
    static final class Unlock {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object lock, @LockMode LockView mode) {
            Hooks.stampedUnlock(lock, mode.read);
        }
    }

    /** tryUnlockWrite(), tryUnlockRead(): only a true return released anything. */
    static final class TryUnlock {
        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(
                @Advice.This Object lock,
                @LockMode LockView mode,
                @Advice.Return boolean released,
                @Advice.Thrown Throwable thrown) {
            if (thrown == null && released) {
                Hooks.stampedUnlock(lock, mode.read);
            }
        }
    }

    /** tryConvertToWriteLock / ToReadLock / ToOptimisticRead: the mode the thread holds changes. */
    static final class Convert {
        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(
                @Advice.This Object lock,
                @LockMode LockView mode,
                @Advice.Return long stamp,
                @Advice.Thrown Throwable thrown) {
            if (thrown == null && stamp != 0L) {
                Hooks.stampedConverted(lock, mode);
            }
        }
    }
}
