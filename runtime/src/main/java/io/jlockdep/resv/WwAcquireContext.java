package io.jlockdep.resv;

import java.util.Objects;

/**
 * A ww acquire context: the kernel's {@code struct ww_acquire_ctx}, the ticket of one
 * transaction that locks several {@link ReservationLock}s of one {@link WwClass}.
 *
 * <p>Life cycle, as in include/linux/ww_mutex.h: {@link #init(WwClass)}
 * ({@code ww_acquire_init}) takes a stamp from the class, smaller = older; locks are taken with
 * {@link ReservationLock#lock(WwAcquireContext)}; on {@link WwDeadlockException} (EDEADLK) the
 * transaction releases every lock it holds and continues with
 * {@link ReservationLock#lockSlow(WwAcquireContext)} on the contended lock; {@link #done()}
 * ({@code ww_acquire_done}) ends the acquire phase; {@link #fini()} ({@code ww_acquire_fini})
 * ends the context once all its locks are released.
 *
 * <p>A context belongs to the thread that created it. Like a kernel built without
 * CONFIG_DEBUG_WW_MUTEX_SLOWPATH, this class does not check its own misuse (lock after done,
 * done twice, fini with locks held, use from another thread): the jlockdep agent reports those
 * as {@code ww/*} rules. The state it keeps is what the algorithm needs: the stamp, the number of
 * locks acquired, whether it was wounded, and which lock it contended on.
 */
public final class WwAcquireContext {

    private final WwClass wwClass;
    private final long stamp;
    private final Thread task;

    /** Locks held under this context ({@code ctx->acquired}); written only by the owning thread. */
    volatile int acquired;
    /** Wound-wait: an older context wants a lock we hold ({@code ctx->wounded}). */
    volatile boolean wounded;
    /** The lock whose EDEADLK this context has not yet resolved with lockSlow. */
    volatile ReservationLock contendingLock;

    private volatile boolean done;
    private volatile boolean finished;

    private WwAcquireContext(WwClass wwClass) {
        this.wwClass = Objects.requireNonNull(wwClass, "wwClass");
        this.stamp = wwClass.nextStamp();
        this.task = Thread.currentThread();
    }

    /**
     * {@code ww_acquire_init(ctx, ww_class)}: starts a transaction on locks of {@code wwClass},
     * owned by the calling thread.
     */
    public static WwAcquireContext init(WwClass wwClass) {
        return new WwAcquireContext(wwClass);
    }

    /**
     * {@code ww_acquire_done(ctx)}: marks the end of the acquire phase. After it the context
     * may only release locks (ww rule: lock after done).
     */
    public void done() {
        done = true;
    }

    /**
     * {@code ww_acquire_fini(ctx)}: ends the context. Every lock taken under it must have been
     * released first (ww rule: fini with locks held).
     */
    public void fini() {
        finished = true;
    }

    public WwClass wwClass() {
        return wwClass;
    }

    /** The ticket: smaller is older. */
    public long stamp() {
        return stamp;
    }

    /** The thread that called {@link #init(WwClass)}. */
    public Thread task() {
        return task;
    }

    /** Number of locks currently held under this context. */
    public int acquired() {
        return acquired;
    }

    /** Whether an older context wounded this one (wound-wait classes only). */
    public boolean isWounded() {
        return wounded;
    }

    /** The lock that returned EDEADLK and has not been re-taken with lockSlow yet, or null. */
    public ReservationLock contendingLock() {
        return contendingLock;
    }

    public boolean isDone() {
        return done;
    }

    public boolean isFinished() {
        return finished;
    }

    /**
     * {@code __ww_ctx_less(this, other)}: true when this context is younger than
     * {@code other} (bigger stamp), i.e. it is the one that must die or be wounded.
     */
    boolean isYoungerThan(WwAcquireContext other) {
        return stamp - other.stamp > 0;
    }

    @Override
    public String toString() {
        return "WwAcquireContext[" + wwClass.name() + " stamp=" + stamp + " acquired=" + acquired
                + (wounded ? " wounded" : "") + (done ? " done" : "") + (finished ? " fini" : "")
                + " task=" + task.getName() + "]";
    }
}
