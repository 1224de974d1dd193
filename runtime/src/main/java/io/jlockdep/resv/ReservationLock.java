package io.jlockdep.resv;

import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The reservation lock of a {@code struct dma_resv}: a {@code ww_mutex} with the kernel's
 * semantics (include/linux/ww_mutex.h, kernel/locking/ww_mutex.h, kernel/locking/mutex.c).
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>{@link #lock(WwAcquireContext)} with a null context is a plain, non-reentrant mutex lock
 *       ({@code dma_resv_lock(obj, NULL)}). Taking it again on the owning thread blocks forever,
 *       exactly as in the kernel: catching that before it happens is the agent's job.</li>
 *   <li>With a context, the call either acquires, throws {@link WwAlreadyHeldException}
 *       ({@code -EALREADY}) when the context already holds this lock, or throws
 *       {@link WwDeadlockException} ({@code -EDEADLK}) when the context must back off.</li>
 *   <li>Wait-die: a context that holds locks and would wait for a younger holder, or queue
 *       behind an older waiter, dies. Wound-wait: a context that holds locks and waits for a
 *       younger holder wounds it; a wounded context dies the next time it would block while
 *       holding locks. A context that holds nothing never dies (it cannot be part of a cycle).</li>
 *   <li>Waiters with a context are queued by stamp, oldest first; waiters without one in FIFO
 *       order among them ({@code __ww_mutex_add_waiter}). On acquisition with waiters present,
 *       younger waiters are woken to die (wait-die), or the new holder is wounded by an older
 *       waiter (wound-wait) ({@code __ww_mutex_check_waiters}).</li>
 * </ul>
 *
 * <h2>Implementation</h2>
 * The lock word ({@link #owner}, {@link #ctx}) and the wait list are guarded by a private
 * monitor, the kernel's {@code wait_lock}; it is held only for a few field updates, never while
 * waiting. Waiting threads park with {@link LockSupport#park(Object)}; every change that can let a
 * waiter progress (release, a new holder whose waiters must re-check, a wound) unparks them and
 * each waiter re-evaluates under {@code wait_lock}. Park permits make the wake-up race-free: an
 * unpark that comes before the park makes the park return at once. Interrupts are honoured by the
 * interruptible variants; the others record an interrupt and restore it once the lock is held.
 *
 * <p>Like a kernel built without CONFIG_LOCKDEP, this class does not check the locking rules
 * (the jlockdep agent does); it only enforces what Java requires: {@link #unlock()} by a thread
 * that does not hold the lock throws {@link IllegalMonitorStateException}.
 */
public final class ReservationLock {

    /** {@code reservation_ww_class}: the wound-wait class of every dma_resv (drivers/dma-buf/dma-resv.c). */
    public static final WwClass CLASS = WwClass.woundWait("reservation_ww_class");

    private static final AtomicLong IDS = new AtomicLong();

    private final WwClass wwClass;
    private final String name;

    /** The kernel's {@code lock->wait_lock}: guards the fields below and {@link #waiters}. */
    private final Object waitLock = new Object();

    private volatile Thread owner;
    /** The holder's acquire context ({@code ww->ctx}), null for a plain acquisition. */
    private volatile WwAcquireContext ctx;

    private final ArrayList<Waiter> waiters = new ArrayList<>();

    private static final class Waiter {
        final Thread task;
        final WwAcquireContext ctx;

        Waiter(Thread task, WwAcquireContext ctx) {
            this.task = task;
            this.ctx = ctx;
        }
    }

    /** {@code dma_resv_init}: a reservation lock of {@link #CLASS}. */
    public ReservationLock() {
        this(CLASS, null);
    }

    /** A reservation lock of {@link #CLASS} with a readable name for reports. */
    public ReservationLock(String name) {
        this(CLASS, name);
    }

    /** {@code ww_mutex_init(lock, ww_class)}: a lock of the given class. */
    public ReservationLock(WwClass wwClass, String name) {
        this.wwClass = Objects.requireNonNull(wwClass, "wwClass");
        this.name = name != null ? name : wwClass.name() + "#" + IDS.incrementAndGet();
    }

    public WwClass wwClass() {
        return wwClass;
    }

    public String name() {
        return name;
    }

    /** {@code dma_resv_lock(obj, NULL)}: a plain mutex lock, no acquire context. */
    public void lock() {
        try {
            acquire(null, false, false);
        } catch (WwMutexException | InterruptedException impossible) {
            throw new AssertionError("a lock without a context neither backs off nor is interrupted", impossible);
        }
    }

    /**
     * {@code ww_mutex_lock(lock, ctx)} / {@code dma_resv_lock(obj, ctx)}.
     *
     * @param ctx the acquire context, or null for a plain mutex lock
     * @throws WwDeadlockException  EDEADLK: release all locks of {@code ctx}, then {@link #lockSlow}
     * @throws WwAlreadyHeldException EALREADY: {@code ctx} already holds this lock
     */
    public void lock(WwAcquireContext ctx) throws WwDeadlockException, WwAlreadyHeldException {
        try {
            acquire(ctx, false, false);
        } catch (InterruptedException impossible) {
            throw new AssertionError("uninterruptible lock was interrupted", impossible);
        }
    }

    /** {@code dma_resv_lock_interruptible(obj, NULL)}: a plain mutex lock that honours interrupts. */
    public void lockInterruptible() throws InterruptedException {
        try {
            acquire(null, true, false);
        } catch (WwMutexException impossible) {
            throw new AssertionError("a lock without a context never backs off", impossible);
        }
    }

    /**
     * {@code ww_mutex_lock_interruptible(lock, ctx)}: as {@link #lock(WwAcquireContext)}, and an
     * interrupt while waiting throws {@link InterruptedException} ({@code -EINTR}), leaving the
     * lock and the context as they were before the call.
     */
    public void lockInterruptible(WwAcquireContext ctx)
            throws WwDeadlockException, WwAlreadyHeldException, InterruptedException {
        acquire(ctx, true, false);
    }

    /**
     * {@code ww_mutex_lock_slow(lock, ctx)}: after EDEADLK and releasing every lock of
     * {@code ctx}, wait for the contended lock. It cannot back off: the context holds nothing.
     */
    public void lockSlow(WwAcquireContext ctx) {
        try {
            acquire(Objects.requireNonNull(ctx, "lockSlow needs an acquire context"), false, true);
        } catch (WwAlreadyHeldException already) {
            // ww_mutex_lock_slow ignores the result of ww_mutex_lock: the lock stays held once.
        } catch (WwDeadlockException | InterruptedException impossible) {
            throw new AssertionError("lockSlow neither backs off nor is interrupted", impossible);
        }
    }

    /** {@code ww_mutex_lock_slow_interruptible(lock, ctx)}: {@link #lockSlow} honouring interrupts. */
    public void lockSlowInterruptible(WwAcquireContext ctx) throws InterruptedException {
        try {
            acquire(Objects.requireNonNull(ctx, "lockSlowInterruptible needs an acquire context"), true, true);
        } catch (WwAlreadyHeldException already) {
            // as lockSlow
        } catch (WwDeadlockException impossible) {
            throw new AssertionError("lockSlow never backs off", impossible);
        }
    }

    /** {@code dma_resv_trylock(obj)}: acquire without waiting and without a context. */
    public boolean tryLock() {
        return tryAcquire(null);
    }

    /**
     * {@code ww_mutex_trylock(lock, ctx)}: acquire without waiting; with a context the lock
     * counts as acquired under it. Never backs off and never waits.
     */
    public boolean tryLock(WwAcquireContext ctx) {
        return tryAcquire(ctx);
    }

    /** Public entry points never call each other, so each lock operation is one event for an observer. */
    private boolean tryAcquire(WwAcquireContext ctx) {
        Thread me = Thread.currentThread();
        if (ctx != null && ctx.acquired == 0) {
            ctx.wounded = false;
        }
        synchronized (waitLock) {
            if (owner != null) {
                return false;
            }
            acquired(me, ctx);
            return true;
        }
    }

    /** {@code dma_resv_unlock(obj)} / {@code ww_mutex_unlock(lock)}. */
    public void unlock() {
        Thread me = Thread.currentThread();
        synchronized (waitLock) {
            Thread holder = owner;
            if (holder != me) {
                throw new IllegalMonitorStateException(name + " unlocked by " + me.getName() + " but "
                        + (holder == null ? "it is not locked" : "it is held by " + holder.getName()));
            }
            WwAcquireContext c = ctx;
            if (c != null) {
                if (c.acquired > 0) {
                    c.acquired--;
                }
                ctx = null;
            }
            owner = null;
            wakeAll();
        }
    }

    /** {@code dma_resv_is_locked(obj)}. */
    public boolean isLocked() {
        return owner != null;
    }

    /** Whether the calling thread holds this lock (the kernel's {@code dma_resv_held} for current). */
    public boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    /** {@code dma_resv_locking_ctx(obj)}: the context the lock is held under, or null. */
    public WwAcquireContext lockingContext() {
        return ctx;
    }

    /** How many threads wait for this lock now (for diagnostics and tests). */
    public int queueLength() {
        synchronized (waitLock) {
            return waiters.size();
        }
    }

    /** The holder, or null (for diagnostics). */
    public Thread owner() {
        return owner;
    }

    @Override
    public String toString() {
        Thread o = owner;
        return "ReservationLock[" + name + (o == null ? " unlocked" : " held by " + o.getName()) + "]";
    }

    // ------------------------------------------------------------------ the algorithm

    /**
     * {@code __ww_mutex_lock} / {@code __mutex_lock_common}: trylock; else queue (wait-die may
     * die here); then loop { trylock; signal check; kill check; sleep }.
     */
    private void acquire(WwAcquireContext ww, boolean interruptible, boolean slow)
            throws WwDeadlockException, WwAlreadyHeldException, InterruptedException {
        Thread me = Thread.currentThread();
        if (ww != null) {
            if (ww.acquired == 0) {
                ww.wounded = false; // reset after a kill: nobody can wound a context holding nothing
            }
            if (ctx == ww) {
                throw new WwAlreadyHeldException(this);
            }
        }
        Waiter waiter;
        synchronized (waitLock) {
            if (owner == null) {
                acquired(me, ww);
                return;
            }
            waiter = new Waiter(me, ww);
            if (!addWaiter(waiter, slow)) {
                throw kill(ww);
            }
        }
        boolean deferredInterrupt = false;
        boolean queued = true;
        try {
            for (; ; ) {
                synchronized (waitLock) {
                    if (owner == null) {
                        waiters.remove(waiter);
                        queued = false;
                        acquired(me, ww);
                        return;
                    }
                    if (Thread.interrupted()) {
                        if (interruptible) {
                            throw new InterruptedException(me.getName() + " interrupted while waiting for " + name);
                        }
                        deferredInterrupt = true;
                    }
                    if (ww != null && !slow && mustDie(waiter)) {
                        throw kill(ww);
                    }
                }
                LockSupport.park(this);
            }
        } finally {
            if (queued) {
                synchronized (waitLock) {
                    waiters.remove(waiter);
                    if (owner == null) {
                        wakeAll(); // pass on a wake-up this waiter may have consumed
                    }
                }
            }
            if (deferredInterrupt) {
                me.interrupt();
            }
        }
    }

    /**
     * {@code ww_mutex_lock_acquired} + {@code __ww_mutex_check_waiters}; holds waitLock. The
     * context's count has one writer, its owning thread (the volatile is for readers).
     */
    @SuppressWarnings("NonAtomicVolatileUpdate")
    private void acquired(Thread me, WwAcquireContext ww) {
        owner = me;
        if (ww == null) {
            return;
        }
        ctx = ww;
        ww.acquired++;
        if (ww.contendingLock == this) {
            ww.contendingLock = null;
        }
        for (Waiter cur : waiters) {
            if (cur.ctx == null) {
                continue;
            }
            if (die(cur, ww) || wound(cur.ctx, ww)) {
                break;
            }
        }
    }

    /**
     * {@code __ww_mutex_add_waiter}: queue by stamp (context-less waiters FIFO), wake younger
     * waiters that must die (wait-die), wound a younger holder (wound-wait). Holds waitLock.
     *
     * @return false when a wait-die context must die instead of queueing behind an older one
     */
    private boolean addWaiter(Waiter waiter, boolean slow) {
        WwAcquireContext ww = waiter.ctx;
        if (ww == null) {
            waiters.add(waiter);
            return true;
        }
        int pos = waiters.size();
        for (int i = waiters.size() - 1; i >= 0; i--) {
            Waiter cur = waiters.get(i);
            if (cur.ctx == null) {
                continue;
            }
            if (ww.isYoungerThan(cur.ctx)) {
                if (wwClass.isWaitDie() && !slow && ww.acquired > 0) {
                    return false;
                }
                break;
            }
            pos = i;
            die(cur, ww);
        }
        waiters.add(pos, waiter);
        if (!wwClass.isWaitDie()) {
            wound(ww, ctx);
        }
        return true;
    }

    /** {@code __ww_mutex_check_kill}: whether the waiting context must back off now. Holds waitLock. */
    private boolean mustDie(Waiter waiter) {
        WwAcquireContext ww = waiter.ctx;
        if (ww.acquired == 0) {
            return false;
        }
        if (!ww.wwClass().isWaitDie()) {
            return ww.wounded;
        }
        WwAcquireContext hold = ctx;
        if (hold != null && ww.isYoungerThan(hold)) {
            return true;
        }
        for (Waiter cur : waiters) {
            if (cur == waiter) {
                break;
            }
            if (cur.ctx != null) {
                return true; // an older context waits in front of us
            }
        }
        return false;
    }

    /** {@code __ww_mutex_die}: wait-die, wake a younger waiter holding locks so it dies. */
    private boolean die(Waiter waiter, WwAcquireContext ww) {
        if (!ww.wwClass().isWaitDie()) {
            return false;
        }
        if (waiter.ctx.acquired > 0 && waiter.ctx.isYoungerThan(ww)) {
            LockSupport.unpark(waiter.task);
        }
        return true;
    }

    /** {@code __ww_mutex_wound}: wound-wait, an older context holding locks wounds a younger holder. */
    private boolean wound(WwAcquireContext ww, WwAcquireContext hold) {
        Thread holder = owner;
        if (hold == null || holder == null) {
            return false;
        }
        if (ww.acquired > 0 && hold.isYoungerThan(ww)) {
            hold.wounded = true;
            if (holder != Thread.currentThread()) {
                LockSupport.unpark(holder);
            }
            return true;
        }
        return false;
    }

    /** {@code __ww_mutex_kill}: record the contended lock and return EDEADLK. */
    private WwDeadlockException kill(WwAcquireContext ww) {
        ww.contendingLock = this;
        return new WwDeadlockException(this, ww);
    }

    private void wakeAll() {
        for (Waiter w : waiters) {
            LockSupport.unpark(w.task);
        }
    }
}
