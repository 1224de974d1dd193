package io.jlockdep.agent.engine;

import io.jlockdep.api.Violation;

/**
 * Where the engine sends what it finds. Called on the violating thread, with the engine's
 * re-entrancy guard set: locks taken by the sink are invisible to the engine.
 */
public interface ViolationSink {

    /** A new violation (deduplicated: each is delivered once per run). */
    void onViolation(Violation violation);

    /**
     * A violation already delivered happened again (same rule, classes and site), on the calling
     * thread. Repeats come only from buggy paths, so they are rare; a test harness uses them to
     * attribute a known violation to the test that ran into it again.
     */
    default void onRepeat(Violation first) {}

    /**
     * A limit was reached and some checking stops (lockdep's "BUG: MAX_LOCKDEP_ENTRIES too
     * low!"): delivered once per limit.
     */
    default void onNotice(String notice) {}

    /** Discards everything. */
    ViolationSink NONE = violation -> {};
}
