package io.jlockdep.api;

/**
 * Thrown at the violating call in fail mode, before the call can block: a self-deadlock becomes
 * a failed test instead of a hang. An {@link AssertionError}, so test frameworks report it as a
 * failure.
 */
public final class LockdepViolationError extends AssertionError {

    private final transient Violation violation;

    /**
     * The error for {@code violation}; its stack trace starts at the violating call.
     *
     * @param violation what was violated
     */
    public LockdepViolationError(Violation violation) {
        super(violation.rule() + ": " + violation.message());
        this.violation = violation;
        setStackTrace(withoutAgentFrames(getStackTrace()));
    }

    /** The trace starts at the violating call, not inside the agent that noticed it. */
    private static StackTraceElement[] withoutAgentFrames(StackTraceElement[] trace) {
        int from = 0;
        while (from < trace.length && trace[from].getClassName().startsWith("io.jlockdep.agent.")) {
            from++;
        }
        return from == trace.length ? trace : java.util.Arrays.copyOfRange(trace, from, trace.length);
    }

    /**
     * The violation, with everything its report shows.
     *
     * @return the violation
     */
    public Violation violation() {
        return violation;
    }

    /**
     * The violated rule's ID.
     *
     * @return a rule ID ({@link Rules})
     */
    public String rule() {
        return violation.rule();
    }
}
