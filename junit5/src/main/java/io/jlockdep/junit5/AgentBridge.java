package io.jlockdep.junit5;

import io.jlockdep.api.Jlockdep;
import io.jlockdep.api.LockdepViolationError;
import io.jlockdep.api.TextReport;
import io.jlockdep.api.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * Every use of the agent's classes, kept out of {@link JlockdepExtension} so that the extension
 * loads (and says how to attach the agent) in a JVM where the agent is absent. Loaded only after
 * the agent was found on the boot class path.
 */
final class AgentBridge {

    /** A violation as the extension needs it: its rule, where it happened this time, and its lockdep report. */
    record Found(String rule, String message, String thread, boolean repeat, String report) {}

    private AgentBridge() {}

    static boolean isActive() {
        return Jlockdep.isActive();
    }

    static void enter(String id) {
        Jlockdep.enterContext(id);
    }

    /** The rule of a fail-mode error, or null for any other throwable. */
    static String violationRule(Throwable thrown) {
        return thrown instanceof LockdepViolationError ? ((LockdepViolationError) thrown).rule() : null;
    }

    /** Checks the thread holds nothing, then takes what was filed under {@code id} and leaves it. */
    static List<Found> finish(String id, String testName) {
        try {
            Jlockdep.checkNothingHeld("the end of test " + testName);
        } catch (LockdepViolationError reported) {
            // fail mode: filed under the test like any other violation
        }
        List<Found> found = new ArrayList<>();
        for (Jlockdep.Occurrence o : Jlockdep.takeViolations(id)) {
            Violation v = o.violation();
            found.add(new Found(v.rule(), v.message(), o.thread(), o.repeat(), TextReport.render(v)));
        }
        Jlockdep.exitContext();
        return found;
    }
}
