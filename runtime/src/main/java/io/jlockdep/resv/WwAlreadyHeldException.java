package io.jlockdep.resv;

/**
 * {@code -EALREADY} from {@code ww_mutex_lock}: the lock is already held by this very acquire
 * context (a duplicate in the set being locked). The lock stays held once; the caller decides
 * whether a duplicate is an error (drm_exec's DRM_EXEC_IGNORE_DUPLICATES says it is not).
 */
public final class WwAlreadyHeldException extends WwMutexException {

    WwAlreadyHeldException(ReservationLock lock) {
        super("EALREADY: " + lock.name() + " is already held by this acquire context", lock);
    }

    @Override
    public String errno() {
        return "EALREADY";
    }
}
