package io.jlockdep.resv;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A ww_mutex class: the kernel's {@code struct ww_class} ({@code DEFINE_WW_CLASS} /
 * {@code DEFINE_WD_CLASS} in include/linux/ww_mutex.h).
 *
 * <p>A class names a family of {@link ReservationLock}s that may be nested under one
 * {@link WwAcquireContext}, chooses the deadlock-avoidance algorithm (wait-die or wound-wait)
 * and hands out acquire-context stamps from its own counter: a smaller stamp is an older
 * context ({@code ww_acquire_init} does {@code atomic_long_inc_return_relaxed(&ww_class->stamp)}).
 * Locks and contexts of one class must only be mixed with each other (ww rule: a context of
 * another class is a misuse).
 */
public final class WwClass {

    /** The deadlock-avoidance algorithm of a class (Documentation/locking/ww-mutex-design.rst). */
    public enum Algorithm {
        /** Wait-die: an older context waits for a younger holder; a younger one dies (EDEADLK). */
        WAIT_DIE,
        /** Wound-wait: an older context wounds a younger holder; a younger one waits. */
        WOUND_WAIT
    }

    private final String name;
    private final Algorithm algorithm;
    private final AtomicLong stamp = new AtomicLong();

    private WwClass(String name, Algorithm algorithm) {
        this.name = Objects.requireNonNull(name, "name");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a ww class needs a non-blank name");
        }
    }

    /** {@code DEFINE_WD_CLASS(name)}: a wait-die class. */
    public static WwClass waitDie(String name) {
        return new WwClass(name, Algorithm.WAIT_DIE);
    }

    /** {@code DEFINE_WW_CLASS(name)}: a wound-wait class (the kernel's reservation_ww_class is one). */
    public static WwClass woundWait(String name) {
        return new WwClass(name, Algorithm.WOUND_WAIT);
    }

    public String name() {
        return name;
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    /** {@code ww_class->is_wait_die}. */
    public boolean isWaitDie() {
        return algorithm == Algorithm.WAIT_DIE;
    }

    /** Next stamp for a new acquire context: strictly increasing, smaller is older. */
    long nextStamp() {
        return stamp.incrementAndGet();
    }

    @Override
    public String toString() {
        return name + (isWaitDie() ? " (wait-die)" : " (wound-wait)");
    }
}
