package io.jlockdep.agent.engine;

/**
 * Keeps the per-thread state one thread writes on every acquisition ({@link ThreadState},
 * {@link HeldLock}) off the cache lines of another thread's. Each thread allocates its own state,
 * but a garbage collection copies live objects side by side, and then two threads that share no
 * lock wrote to one cache line on every acquisition: the two-thread benchmark ran at 90 ns or
 * 240 ns per operation depending on where the collector had put the states. Superclass fields
 * are laid out before a subclass's, so these 64 bytes come before the hot fields, and the
 * {@code Tail} subclasses put 64 more after them.
 */
abstract class CacheLinePadding {
    long p00, p01, p02, p03, p04, p05, p06, p07;

    /** The padding after a {@link ThreadState}'s fields. */
    static final class ThreadStateTail extends ThreadState {
        long q00, q01, q02, q03, q04, q05, q06, q07;

        ThreadStateTail(Thread thread, int initialDepth) {
            super(thread, initialDepth);
        }
    }

    /** The padding after a {@link HeldLock}'s fields. */
    static final class HeldLockTail extends HeldLock {
        long q00, q01, q02, q03, q04, q05, q06, q07;
    }
}
