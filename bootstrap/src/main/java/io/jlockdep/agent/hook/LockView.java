package io.jlockdep.agent.hook;

import io.jlockdep.agent.engine.Lockdep;

/**
 * Which JDK lock, or which side of one, an instrumented method acts on: bound per method into
 * its hook calls as constants (tooling's HookCalls), read by the hooks as the engine sees it.
 */
public enum LockView {
    /** A {@code ReentrantLock}: exclusive and re-entrant; its class is its own. */
    MUTEX(Lockdep.WRITE, false),
    /** The write side of a read-write lock ({@code ReentrantReadWriteLock.WriteLock}, {@code StampedLock}). */
    WRITE(Lockdep.WRITE, true),
    /** The read side of a read-write lock. */
    READ(Lockdep.READ, true),
    /** {@code StampedLock}'s optimistic read, after a conversion: the thread then holds nothing. */
    OPTIMISTIC(-1, true);

    /** The engine's read mode ({@link Lockdep#WRITE} or {@link Lockdep#READ}); -1 when nothing is held. */
    public final int read;

    /** Whether the lock has a read side, so that the class is the read-write lock's. */
    public final boolean readWrite;

    LockView(int read, boolean readWrite) {
        this.read = read;
        this.readWrite = readWrite;
    }
}
