package io.jlockdep.agent.engine;

import java.util.Arrays;

/**
 * The Checker Framework's method contracts on the thread: {@code @ReleasesNoLocks} (the method
 * releases no lock it was called with) and {@code @LockingFree} (it takes no lock, and releases
 * none either). Each such method opens a scope at entry with the depth of the held-lock stack;
 * while any scope is open the fast paths step aside, and every acquisition
 * ({@code guard/acquired-lock}, in a {@code @LockingFree} scope) and every last release of a lock
 * the method was called with ({@code guard/released-lock}) is checked here.
 */
final class GuardScopes {

    private GuardScopes() {}

    /** Entry into {@code rule}'s method. */
    static void enter(ThreadState ts, GuardRule rule) {
        int d = ts.guardDepth;
        if (d == ts.guardScopes.length) {
            ts.guardScopes = Arrays.copyOf(ts.guardScopes, d * 2);
            ts.guardScopeHeld = Arrays.copyOf(ts.guardScopeHeld, d * 2);
        }
        ts.guardScopes[d] = rule;
        ts.guardScopeHeld[d] = ts.depth;
        ts.guardDepth = d + 1;
    }

    /** Exit from {@code rule}'s method, closing any scope left open inside it (an exit never seen). */
    static void exit(ThreadState ts, GuardRule rule) {
        for (int i = ts.guardDepth - 1; i >= 0; i--) {
            if (ts.guardScopes[i] == rule) {
                for (int j = ts.guardDepth - 1; j >= i; j--) {
                    ts.guardScopes[j] = null;
                }
                ts.guardDepth = i;
                return;
            }
        }
    }

    /** An acquisition inside the scopes: the innermost {@code @LockingFree} scope, if any, reports it. */
    static void acquiring(ThreadState ts, Reporter reporter, Object lock, LockClass cls, int read) {
        for (int i = ts.guardDepth - 1; i >= 0; i--) {
            GuardRule rule = ts.guardScopes[i];
            if (rule.kind() == GuardRule.Kind.LOCKING_FREE) {
                reporter.reportGuardScope(ts, rule, lock, cls, read, true);
                return;
            }
        }
    }

    /**
     * The last hold of held entry {@code idx} is about to go. If the entry lies below a scope's
     * depth, the scope's method was called with it: the innermost such scope reports the release.
     * The scopes' depths then follow the stack, which loses one entry below them.
     */
    static void releasing(ThreadState ts, Reporter reporter, int idx) {
        GuardRule breached = null;
        for (int i = ts.guardDepth - 1; i >= 0; i--) {
            if (idx < ts.guardScopeHeld[i]) {
                breached = ts.guardScopes[i];
                break;
            }
        }
        if (breached != null) {
            HeldLock h = ts.held[idx];
            reporter.reportGuardScope(ts, breached, h.instance, h.cls, h.read, false); // fail mode: throws
        }
        for (int i = 0; i < ts.guardDepth; i++) {
            if (idx < ts.guardScopeHeld[i]) {
                ts.guardScopeHeld[i]--;
            }
        }
    }
}
