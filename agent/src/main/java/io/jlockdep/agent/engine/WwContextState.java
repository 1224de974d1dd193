package io.jlockdep.agent.engine;

/**
 * What the engine knows of one ww acquire context (the kernel's debug fields of
 * {@code struct ww_acquire_ctx}): its owner, its classes, the acquire-phase flags, how many
 * locks it holds, and the lock whose -EDEADLK it has not resolved yet.
 */
final class WwContextState {
    final Object ctx;
    final ThreadState owner;
    final LockClass acquireClass;
    final LockClass mutexClass;
    boolean done;
    boolean finished;
    int acquired;
    Object contending;

    WwContextState(Object ctx, ThreadState owner, LockClass acquireClass, LockClass mutexClass) {
        this.ctx = ctx;
        this.owner = owner;
        this.acquireClass = acquireClass;
        this.mutexClass = mutexClass;
    }
}
