package io.jlockdep.demo.scenario;

import java.util.Set;
import java.util.TreeSet;

/**
 * One program of the catalogue and what jlockdep must say about it.
 *
 * @param name        the name on the command line
 * @param description one line for {@code --list}
 * @param expected    the rule IDs it must produce, no more and no fewer (empty: a correct flow)
 * @param failMode    run with {@code mode=fail}: in a real kernel it would self-deadlock, so it
 *                    must end with {@code LockdepViolationError} instead of hanging
 * @param body        the program
 */
public record Scenario(String name, String description, Set<String> expected, boolean failMode, Body body) {

    /** A scenario's program; may throw (in fail mode it is expected to). */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    public Scenario {
        expected = Set.copyOf(new TreeSet<>(expected));
    }

    public boolean isCorrect() {
        return expected.isEmpty();
    }
}
