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
     * Every violation reported so far in this JVM.
     *
     * @return first occurrences only, in order
     */
    List<Violation> violations();
}
