package io.jlockdep.api;

import java.util.List;

/**
 * The running agent as {@link Jlockdep} sees it: implemented by the engine, handed over by the
 * agent once it runs. Not for applications to implement.
 */
public interface RunningAgent {

    /**
     * Reports {@code lockdep/held-lock-at-exit} when the calling thread holds locks (lockdep's
     * {@code debug_check_no_locks_held}).
     *
     * @param where what ends, for the report (e.g. the test's name)
     * @return whether nothing was held
     */
    boolean checkNothingHeld(String where);

    /**
     * Puts {@code lock} in the lock class {@code name} (the kernel's
     * {@code lockdep_set_class_and_name}); see {@link Jlockdep#setClass}.
     *
     * @param lock a JDK lock or a monitor
     * @param name the class's name; one class per name
     */
    void setLockClass(Object lock, String name);

    /**
     * Every violation reported so far in this JVM.
     *
     * @return first occurrences only, in order
     */
    List<Violation> violations();
}
