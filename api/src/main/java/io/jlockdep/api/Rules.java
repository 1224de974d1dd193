package io.jlockdep.api;

/**
 * The stable rule IDs (the {@code rule} field of every violation) and what each cites.
 * Lockdep rules cite Documentation/locking/lockdep-design.rst and kernel/locking/lockdep.c; ww
 * rules the debug checks of kernel/locking/ww_mutex.h and include/linux/ww_mutex.h; dma-buf rules
 * the DMA-BUF locking convention in drivers/dma-buf/dma-buf.c.
 */
public final class Rules {

    private Rules() {}

    /** A new dependency closes a cycle of lock classes: a possible deadlock ({@code check_noncircular}). */
    public static final String CIRCULAR_DEPENDENCY = "lockdep/circular-dependency";
    /** A lock (or another lock of its class, without a nest context) taken while already held ({@code check_deadlock}). */
    public static final String RECURSIVE_LOCKING = "lockdep/recursive-locking";
    /** A lock released by a thread that does not hold it ({@code print_unlock_imbalance_bug}). */
    public static final String BAD_UNLOCK_BALANCE = "lockdep/bad-unlock-balance";
    /** A thread ends, or a test finishes, with locks held ({@code debug_check_no_locks_held}). */
    public static final String HELD_LOCK_AT_EXIT = "lockdep/held-lock-at-exit";
    /** A deadlock that has happened: threads wait for each other (found by the watchdog). */
    public static final String DEADLOCK = "lockdep/deadlock";

    /** A ww_mutex locked under a context after {@code ww_acquire_done} or {@code ww_acquire_fini}. */
    public static final String WW_LOCK_AFTER_DONE = "ww/lock-after-done";
    /** {@code ww_acquire_done} called twice on one context. */
    public static final String WW_DONE_TWICE = "ww/done-twice";
    /** {@code ww_acquire_fini} called twice on one context. */
    public static final String WW_FINI_TWICE = "ww/fini-twice";
    /** {@code ww_acquire_fini} while ww_mutexes taken under the context are still held. */
    public static final String WW_FINI_WITH_LOCKS_HELD = "ww/fini-with-locks-held";
    /** Another lock taken after -EDEADLK without first releasing every lock of the context. */
    public static final String WW_LOCK_AFTER_EDEADLK = "ww/lock-after-edeadlk";
    /** After backing off, a lock other than the contended one taken first. */
    public static final String WW_SLOW_WRONG_LOCK = "ww/slow-wrong-lock";
    /** {@code ww_mutex_lock_slow} without a preceding -EDEADLK. */
    public static final String WW_SLOW_WITHOUT_CONTENTION = "ww/slow-without-contention";
    /** An acquire context used by a thread other than the one that initialised it. */
    public static final String WW_CONTEXT_WRONG_THREAD = "ww/context-wrong-thread";
    /** A second acquire context of one ww class initialised while the first is active on the thread. */
    public static final String WW_TWO_CONTEXTS = "ww/two-contexts";
    /** A ww_mutex locked under a context of another ww class. */
    public static final String WW_CLASS_MISMATCH = "ww/class-mismatch";
    /** Two ww_mutexes of one class nested without an acquire context. */
    public static final String WW_NEST_WITHOUT_CONTEXT = "ww/nest-without-context";
    /** A ww_mutex unlocked by a thread that does not hold it. */
    public static final String WW_UNLOCK_NOT_HELD = "ww/unlock-not-held";

    /** The prefix of the built-in dma-buf spec's rule IDs. */
    public static final String DMA_BUF_PREFIX = "dma-buf/";

    /** A dma-buf function that needs the reservation lock called without it. */
    public static final String DMA_BUF_IMPORTER_LOCKED = "dma-buf/importer-locked";
    /** A dma-buf function that takes the reservation lock itself called with it held. */
    public static final String DMA_BUF_IMPORTER_UNLOCKED = "dma-buf/importer-unlocked";
    /** An exporter callback the core invokes unlocked invoked with the reservation lock held. */
    public static final String DMA_BUF_EXPORTER_UNLOCKED_CALLBACK = "dma-buf/exporter-unlocked-callback";
    /** An exporter callback the core invokes locked invoked without the lock, or taking it itself. */
    public static final String DMA_BUF_EXPORTER_LOCKED_CALLBACK = "dma-buf/exporter-locked-callback";
    /** An exporter function that needs the reservation lock called without it. */
    public static final String DMA_BUF_EXPORTER_LOCKED = "dma-buf/exporter-locked";

    /** A field annotated {@code @GuardedBy} read without its lock held. */
    public static final String GUARD_UNGUARDED_READ = "guard/unguarded-read";
    /** A field annotated {@code @GuardedBy} written without its lock held for writing. */
    public static final String GUARD_UNGUARDED_WRITE = "guard/unguarded-write";
    /** A method annotated {@code @GuardedBy} or {@code @Holding} called without its lock held. */
    public static final String GUARD_NOT_HOLDING = "guard/not-holding";
    /** A method annotated {@code @ReleasesNoLocks} or {@code @LockingFree} released a lock it was called with. */
    public static final String GUARD_RELEASED_LOCK = "guard/released-lock";
    /** A method annotated {@code @LockingFree} acquired a lock. */
    public static final String GUARD_ACQUIRED_LOCK = "guard/acquired-lock";

    /**
     * The rules of the lock contracts written in annotations ({@code @GuardedBy}, {@code @Holding},
     * {@code @ReleasesNoLocks}, {@code @LockingFree}): the run-time {@code lockdep_assert_held()}.
     *
     * @return their IDs
     */
    public static java.util.List<String> guardRules() {
        return java.util.List.of(
                GUARD_UNGUARDED_READ,
                GUARD_UNGUARDED_WRITE,
                GUARD_NOT_HOLDING,
                GUARD_RELEASED_LOCK,
                GUARD_ACQUIRED_LOCK);
    }

    static final String GUARD_CITATION = "the member's lock contract, checked as the kernel's lockdep_assert_held()"
            + " (include/linux/lockdep.h) checks its callers";

    /**
     * The rules of the engine itself: lockdep's and the ww_mutex checks (the dma-buf rules come
     * from the built-in specification, like any spec's).
     *
     * @return their IDs
     */
    public static java.util.List<String> engineRules() {
        return java.util.List.of(
                CIRCULAR_DEPENDENCY,
                RECURSIVE_LOCKING,
                BAD_UNLOCK_BALANCE,
                HELD_LOCK_AT_EXIT,
                DEADLOCK,
                WW_LOCK_AFTER_DONE,
                WW_DONE_TWICE,
                WW_FINI_TWICE,
                WW_FINI_WITH_LOCKS_HELD,
                WW_LOCK_AFTER_EDEADLK,
                WW_SLOW_WRONG_LOCK,
                WW_SLOW_WITHOUT_CONTENTION,
                WW_CONTEXT_WRONG_THREAD,
                WW_TWO_CONTEXTS,
                WW_CLASS_MISMATCH,
                WW_NEST_WITHOUT_CONTEXT,
                WW_UNLOCK_NOT_HELD);
    }

    static final String LOCKDEP_DESIGN = "Documentation/locking/lockdep-design.rst";
    static final String WW_DESIGN = "Documentation/locking/ww-mutex-design.rst; kernel/locking/ww_mutex.h";

    /**
     * The citation of a built-in rule (API rules carry their own).
     *
     * @param rule a rule ID of this class
     * @return where the rule is stated, with the kernel function that checks it
     */
    public static String citation(String rule) {
        switch (rule) {
            case CIRCULAR_DEPENDENCY:
                return LOCKDEP_DESIGN + ": a new dependency that closes a cycle of lock classes is a possible deadlock"
                        + " (kernel/locking/lockdep.c check_noncircular)";
            case RECURSIVE_LOCKING:
                return LOCKDEP_DESIGN + ": acquiring a lock class already held without a nest annotation"
                        + " (kernel/locking/lockdep.c check_deadlock)";
            case BAD_UNLOCK_BALANCE:
                return LOCKDEP_DESIGN
                        + ": releasing a lock the thread does not hold (kernel/locking/lockdep.c print_unlock_imbalance_bug)";
            case HELD_LOCK_AT_EXIT:
                return LOCKDEP_DESIGN + ": no lock may be held when returning to user space or exiting"
                        + " (kernel/locking/lockdep.c lockdep_sys_exit, debug_check_no_locks_held)";
            case DEADLOCK:
                return "a deadlock that has happened: a cycle of threads, each waiting for a lock another holds (the kernel's"
                        + " hung-task detector, kernel/hung_task.c, with lockdep's held-lock information, debug_show_all_locks)";
            case WW_LOCK_AFTER_DONE:
                return WW_DESIGN + ": no lock may be acquired after ww_acquire_done() or ww_acquire_fini()";
            case WW_DONE_TWICE:
                return WW_DESIGN + ": ww_acquire_done() marks the end of the acquire phase once";
            case WW_FINI_TWICE:
                return WW_DESIGN + ": ww_acquire_fini() ends a context once";
            case WW_FINI_WITH_LOCKS_HELD:
                return WW_DESIGN + ": ww_acquire_fini() only after every lock of the context is released";
            case WW_LOCK_AFTER_EDEADLK:
                return WW_DESIGN + ": after -EDEADLK release every lock of the context before acquiring again";
            case WW_SLOW_WRONG_LOCK:
                return WW_DESIGN + ": after -EDEADLK the first lock taken is the contended one (ww_mutex_lock_slow)";
            case WW_SLOW_WITHOUT_CONTENTION:
                return WW_DESIGN + ": ww_mutex_lock_slow() only after -EDEADLK";
            case WW_CONTEXT_WRONG_THREAD:
                return WW_DESIGN + ": an acquire context belongs to the task that called ww_acquire_init()";
            case WW_TWO_CONTEXTS:
                return WW_DESIGN + ": a task holds at most one acquire context of a ww class at a time";
            case WW_CLASS_MISMATCH:
                return WW_DESIGN + ": the acquire context and the ww_mutex must be of the same ww_class";
            case WW_NEST_WITHOUT_CONTEXT:
                return WW_DESIGN + ": several ww_mutexes of one class may only be nested under an acquire context";
            case WW_UNLOCK_NOT_HELD:
                return WW_DESIGN + ": ww_mutex_unlock() of a lock that is not held";
            case GUARD_UNGUARDED_READ:
            case GUARD_UNGUARDED_WRITE:
                return "@GuardedBy on a field: " + GUARD_CITATION;
            case GUARD_NOT_HOLDING:
                return "@GuardedBy or @Holding on a method: " + GUARD_CITATION;
            case GUARD_RELEASED_LOCK:
                return "@ReleasesNoLocks or @LockingFree (Checker Framework lock checker): the method releases no lock"
                        + " its caller holds";
            case GUARD_ACQUIRED_LOCK:
                return "@LockingFree (Checker Framework lock checker): the method acquires no lock";
            default:
                return "";
        }
    }
}
