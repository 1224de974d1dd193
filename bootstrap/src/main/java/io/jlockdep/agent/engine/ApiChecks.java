package io.jlockdep.agent.engine;

import io.jlockdep.api.LockdepViolationError;

/**
 * The specification rules of a locking convention (for DMA-BUF: {@code dma_resv_assert_held}
 * in the locked functions, {@code dma_resv_assert_held} negated by the unlocked ones and the
 * callbacks the core invokes locked or unlocked): each instrumented function or callback opens a
 * scope on the thread ({@link ThreadState.ApiFrame}) with the lock its rule is about, checked on
 * entry against the held-lock stack; a scope that forbids taking its lock is consulted by every
 * acquisition inside it ({@link #forbiddingScope}).
 */
final class ApiChecks {

    private final Reporter reporter;

    ApiChecks(Reporter reporter) {
        this.reporter = reporter;
    }

    /**
     * Entry into {@code rule}'s function with {@code lock} (null: not resolved, nothing checked).
     *
     * @throws LockdepViolationError in fail mode; the scope is then closed again (the function
     *     will not run, so no exit event follows)
     */
    void enter(ThreadState ts, ApiRule rule, Object lock, Object site) {
        boolean enclosingViolated = false;
        for (int i = 0; i < ts.scopeDepth; i++) {
            ThreadState.ApiFrame f = ts.scopes[i];
            enclosingViolated |= f.violated && !f.rule.isCallback();
        }
        ThreadState.ApiFrame frame = ts.pushScope();
        frame.rule = rule;
        frame.lock = lock;
        frame.violated = false;
        if (lock == null) {
            return;
        }
        boolean held = ts.indexOfHeld(lock) >= 0;
        boolean violated;
        switch (rule.kind()) {
            case MUST_HOLD:
                violated = !held;
                break;
            case MUST_NOT_HOLD:
                violated = held;
                break;
            case CALLBACK_LOCKED:
                violated = !held && !enclosingViolated;
                break;
            case CALLBACK_UNLOCKED:
                violated = held && !enclosingViolated;
                break;
            default:
                violated = false;
        }
        if (violated) {
            frame.violated = true;
            try {
                reporter.reportApi(ts, rule, lock, held, site);
            } catch (LockdepViolationError e) {
                ts.scopeDepth--; // the function will not run: no exit event follows
                frame.rule = null;
                frame.lock = null;
                throw e;
            }
        }
    }

    /** Exit from the scope {@link #enter} opened for {@code rule}, and from any left open inside it. */
    static void exit(ThreadState ts, ApiRule rule) {
        for (int i = ts.scopeDepth - 1; i >= 0; i--) {
            if (ts.scopes[i].rule == rule) {
                for (int j = ts.scopeDepth - 1; j >= i; j--) {
                    ts.scopes[j].rule = null;
                    ts.scopes[j].lock = null;
                }
                ts.scopeDepth = i;
                return;
            }
        }
    }

    /** The innermost scope that forbids acquiring {@code lock} (a callback invoked with it held), or null. */
    static ThreadState.ApiFrame forbiddingScope(ThreadState ts, Object lock) {
        for (int i = ts.scopeDepth - 1; i >= 0; i--) {
            ThreadState.ApiFrame f = ts.scopes[i];
            if (f.lock == lock
                    && (f.rule.kind() == ApiRule.Kind.CALLBACK_LOCKED
                            || f.rule.kind() == ApiRule.Kind.MUST_NOT_ACQUIRE_INSIDE)) {
                return f;
            }
        }
        return null;
    }
}
