package io.jlockdep.resv;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Locks a whole set of reservations under one acquire context, the way the kernel's drm_exec
 * helper does (drivers/gpu/drm/drm_exec.c, include/drm/drm_exec.h).
 *
 * <pre>{@code
 * try (DrmExec exec = new DrmExec(DrmExec.IGNORE_DUPLICATES)) {
 *     exec.untilAllLocked(e -> {            // drm_exec_until_all_locked(exec)
 *         for (ReservationLock resv : set) {
 *             e.lockObj(resv);               // drm_exec_lock_obj + drm_exec_retry_on_contention
 *         }
 *     });
 *     ... every lock of the set is held ...
 * }                                          // drm_exec_fini: unlock all, ww_acquire_fini
 * }</pre>
 *
 * <p>The algorithm: the body locks each object under the ticket. On EDEADLK
 * ({@link WwDeadlockException}) the contended lock is remembered, the body is abandoned, every
 * lock is released, the contended lock is taken with {@code lockSlow} at the start of the next
 * round ({@code drm_exec_lock_contended}) and the body runs again; when the body reaches that
 * lock it is already held ("prelocked") and is skipped. A duplicate (EALREADY) is ignored with
 * {@link #IGNORE_DUPLICATES} and an error otherwise. When a round completes,
 * {@code ww_acquire_done} ends the acquire phase.
 *
 * <p>Not thread-safe: one transaction belongs to one thread, like its acquire context.
 */
public final class DrmExec implements AutoCloseable {

    /** {@code DRM_EXEC_INTERRUPTIBLE_WAIT}: waits honour interrupts. */
    public static final int INTERRUPTIBLE_WAIT = 1;
    /** {@code DRM_EXEC_IGNORE_DUPLICATES}: locking an object twice is not an error. */
    public static final int IGNORE_DUPLICATES = 2;

    /** The body of {@code drm_exec_until_all_locked}: lock every object with {@link #lockObj}. */
    @FunctionalInterface
    public interface Body {
        void lockAll(DrmExec exec) throws WwMutexException, InterruptedException;
    }

    private final int flags;
    private final WwClass wwClass;
    private final ArrayList<ReservationLock> objects = new ArrayList<>();
    private WwAcquireContext ticket;
    private ReservationLock contended;
    private ReservationLock prelocked;
    private int retries;
    private boolean finished;

    /** {@code drm_exec_init(exec, flags, 0)} for {@link ReservationLock#CLASS}. */
    public DrmExec(int flags) {
        this(flags, ReservationLock.CLASS);
    }

    /** A transaction over locks of another ww class. */
    public DrmExec(int flags, WwClass wwClass) {
        if ((flags & ~(INTERRUPTIBLE_WAIT | IGNORE_DUPLICATES)) != 0) {
            throw new IllegalArgumentException("unknown DrmExec flags 0x" + Integer.toHexString(flags));
        }
        this.flags = flags;
        this.wwClass = Objects.requireNonNull(wwClass, "wwClass");
    }

    /**
     * {@code drm_exec_until_all_locked}: runs {@code body} until it completes without contention.
     * If {@code body} fails otherwise (EALREADY without {@link #IGNORE_DUPLICATES}, an interrupt,
     * an exception of its own) the locks taken so far stay held until {@link #close()}.
     */
    public void untilAllLocked(Body body) throws WwAlreadyHeldException, InterruptedException {
        Objects.requireNonNull(body, "body");
        checkOpen();
        if (ticket == null) {
            ticket = WwAcquireContext.init(wwClass); // drm_exec_cleanup, first round
        }
        for (; ; ) {
            try {
                body.lockAll(this);
                ticket.done();
                return;
            } catch (WwDeadlockException deadlock) {
                retries++;
                unlockAll(); // drm_exec_cleanup: the next lockObj takes `contended` with lockSlow
            } catch (WwAlreadyHeldException already) {
                throw already;
            } catch (WwMutexException other) {
                throw new IllegalStateException("unexpected ww_mutex result " + other.errno(), other);
            }
        }
    }

    /**
     * {@code drm_exec_lock_obj}: lock {@code resv} under the ticket (after resolving a pending
     * contention with lockSlow).
     *
     * @throws WwDeadlockException when the transaction must back off; let it propagate out of
     *         the body ({@code drm_exec_retry_on_contention})
     */
    public void lockObj(ReservationLock resv) throws WwDeadlockException, WwAlreadyHeldException, InterruptedException {
        Objects.requireNonNull(resv, "resv");
        if (ticket == null) {
            throw new IllegalStateException("lockObj outside untilAllLocked");
        }
        lockContended();
        if (prelocked == resv) {
            prelocked = null;
            return;
        }
        try {
            if ((flags & INTERRUPTIBLE_WAIT) != 0) {
                resv.lockInterruptible(ticket);
            } else {
                resv.lock(ticket);
            }
        } catch (WwDeadlockException deadlock) {
            contended = resv;
            throw deadlock;
        } catch (WwAlreadyHeldException already) {
            if ((flags & IGNORE_DUPLICATES) != 0) {
                return;
            }
            throw already;
        }
        objects.add(resv);
    }

    /** {@code drm_exec_lock_contended}. */
    private void lockContended() throws InterruptedException {
        ReservationLock obj = contended;
        if (obj == null) {
            return;
        }
        contended = null; // always clear, so error handling can kick in
        if ((flags & INTERRUPTIBLE_WAIT) != 0) {
            obj.lockSlowInterruptible(ticket);
        } else {
            obj.lockSlow(ticket);
        }
        objects.add(obj);
        prelocked = obj;
    }

    /** {@code drm_exec_unlock_all}: release in reverse order of acquisition. */
    private void unlockAll() {
        for (int i = objects.size() - 1; i >= 0; i--) {
            objects.get(i).unlock();
        }
        objects.clear();
        prelocked = null;
    }

    /** The locks held by this transaction, in acquisition order. */
    public List<ReservationLock> objects() {
        return Collections.unmodifiableList(objects);
    }

    /** How many times the transaction backed off (drm_exec has no counter; handy for tests). */
    public int retries() {
        return retries;
    }

    /** The acquire context, or null before {@link #untilAllLocked}. */
    public WwAcquireContext ticket() {
        return ticket;
    }

    /** {@code drm_exec_fini}: unlock every object and end the ticket. Idempotent. */
    public void fini() {
        if (finished) {
            return;
        }
        finished = true;
        unlockAll();
        contended = null;
        if (ticket != null) {
            ticket.fini();
        }
    }

    @Override
    public void close() {
        fini();
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("DrmExec used after fini");
        }
    }
}
