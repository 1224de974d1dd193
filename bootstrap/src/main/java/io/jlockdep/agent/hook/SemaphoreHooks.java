package io.jlockdep.agent.hook;

import io.jlockdep.agent.engine.LockClass;
import io.jlockdep.agent.engine.Lockdep;
import java.util.concurrent.Semaphore;

/**
 * The hooks of {@code java.util.concurrent.Semaphore} (called from the patched class: the tooling's {@code Semaphores}). A semaphore made
 * with one permit is a mutex (the kernel's binary semaphore) and is tracked as one, class = its
 * allocation site; counting semaphores are not tracked. A semaphore has no owner: a release by a
 * thread that did not acquire it is a hand-off, not an error. Such a semaphore is a signal
 * between threads, not a lock: the acquirer's hold is dropped ({@link Lockdep#releaseElsewhere}),
 * and its class is no longer tracked ({@link Lockdep#notALock}, with a notice). A release that
 * would give it a second permit is an error.
 */
public final class SemaphoreHooks {

    /** Whether semaphores with one permit are tracked (option {@code semaphores}). */
    static volatile boolean enabled = true;

    private SemaphoreHooks() {}

    /** A Semaphore was constructed with {@code permits}: tracked when it is a mutex. */
    public static void created(Object semaphore, int permits) {
        Lockdep e = Hooks.engine();
        if (e != null && enabled && permits == 1) {
            Hooks.register(e, semaphore, semaphore, "Semaphore(1)", LockClass.Kind.SEMAPHORE);
        }
    }

    /**
     * Entry of a blocking acquisition (not re-entrant); nothing for a semaphore found to be a
     * signal ({@link #release}).
     */
    public static void acquireEnter(Object semaphore) {
        Lockdep e = Hooks.engine();
        LockTable.Entry entry = e == null ? null : Hooks.tracked(semaphore);
        if (entry == null || entry.cls.isSignal()) {
            return;
        }
        e.acquire(semaphore, entry.cls, Lockdep.WRITE, Hooks.privacy(e, entry), null, null);
    }

    /**
     * {@code release()}, before the permit is given back: by the holder, a release; by another
     * thread, a hand-off (not reported: the semaphore is a signal from then on). Either way, a tracked semaphore whose permit is
     * already free is released once more than it was acquired: it would have two permits and
     * exclude no one any more, the kernel's unlock of a mutex nobody holds
     * ({@code lockdep/bad-unlock-balance}).
     */
    public static void release(Object semaphore) {
        Lockdep e = Hooks.engine();
        if (e == null) {
            return;
        }
        if (e.releaseIfHeld(semaphore, Lockdep.WRITE)) {
            int free = ((Semaphore) semaphore).availablePermits();
            if (free > 0) { // held here, but another thread has released it already
                e.overRelease(semaphore, Hooks.trackedClass(semaphore), free);
            }
            return;
        }
        LockTable.Entry entry = Hooks.tracked(semaphore);
        if (entry == null || entry.cls.isSignal()) {
            return;
        }
        int free = ((Semaphore) semaphore).availablePermits();
        if (free > 0) {
            e.overRelease(semaphore, entry.cls, free);
        } else {
            e.releaseElsewhere(semaphore, Lockdep.WRITE); // the acquirer holds it no more
            e.notALock(entry.cls, "was released by a thread that had not acquired it (a hand-off)");
        }
    }
}
