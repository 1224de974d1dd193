package io.jlockdep.resv;

/**
 * {@code -EDEADLK} from {@code ww_mutex_lock}: this acquire context must back off. The caller
 * releases every lock held under the context, then takes {@link #lock()} with
 * {@link ReservationLock#lockSlow(WwAcquireContext)} and acquires the rest again.
 */
public final class WwDeadlockException extends WwMutexException {

    WwDeadlockException(ReservationLock lock, WwAcquireContext ctx) {
        super("EDEADLK: context " + ctx.stamp() + " must back off from " + lock.name(), lock);
    }

    @Override
    public String errno() {
        return "EDEADLK";
    }
}
