package io.jlockdep.agent.engine;

/**
 * Where the engine sends what it finds. Called on the violating thread, with the engine's
 * re-entrancy guard set: locks taken by the sink are invisible to the engine.
 */
public interface ViolationSink {

    /** A new violation (deduplicated: each is delivered once per run). */
    void onViolation(Violation violation);

    /**
     * A limit was reached and some checking stops (lockdep's "BUG: MAX_LOCKDEP_ENTRIES too
     * low!"): delivered once per limit.
     */
    default void onNotice(String notice) {
    }

    /** Discards everything. */
    ViolationSink NONE = violation -> { };
}
