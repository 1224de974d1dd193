package io.jlockdep.resv;

/**
 * A ww_mutex lock call that did not acquire: the kernel's negative return values of
 * {@code ww_mutex_lock}. Checked, because the caller must act on it (back off, or skip a
 * duplicate). These are control flow, not bugs, so they carry no stack trace.
 */
public abstract class WwMutexException extends Exception {

    private final transient ReservationLock lock;

    WwMutexException(String message, ReservationLock lock) {
        super(message, null, false, false);
        this.lock = lock;
    }

    /** The lock the call was about. */
    public ReservationLock lock() {
        return lock;
    }

    /** The kernel's error number name, e.g. {@code EDEADLK}. */
    public abstract String errno();
}
