package io.jlockdep.agent.engine;

/**
 * What the engine knows of one ww acquire context (the kernel's debug fields of
 * {@code struct ww_acquire_ctx}): its owner, its classes, the acquire-phase flags, how many
 * locks it holds, and the lock whose -EDEADLK it has not resolved yet.
 */
final class WwContextState {
    Object ctx;
    final ThreadState owner;
    LockClass acquireClass;
    LockClass mutexClass;
    boolean done;
    boolean finished;
    int acquired;
    Object contending;

    WwContextState(Object ctx, ThreadState owner, LockClass acquireClass, LockClass mutexClass) {
        this.owner = owner;
        reset(ctx, acquireClass, mutexClass);
    }

    /** Makes a state evicted from its thread's retired ring serve a new context (no allocation per transaction). */
    WwContextState reset(Object ctx, LockClass acquireClass, LockClass mutexClass) {
        this.ctx = ctx;
        this.acquireClass = acquireClass;
        this.mutexClass = mutexClass;
        done = false;
        finished = false;
        acquired = 0;
        contending = null;
        return this;
    }
}
