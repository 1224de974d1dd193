package io.jlockdep.agent.engine;

/**
 * Thrown at the violating call in fail mode, before the call can block: a self-deadlock becomes
 * a failed test instead of a hang. An {@link AssertionError}, so test frameworks report it as a
 * failure.
 */
public final class LockdepViolationError extends AssertionError {

    private final transient Violation violation;

    public LockdepViolationError(Violation violation) {
        super(violation.rule() + ": " + violation.message());
        this.violation = violation;
    }

    public Violation violation() {
        return violation;
    }

    public String rule() {
        return violation.rule();
    }
}
