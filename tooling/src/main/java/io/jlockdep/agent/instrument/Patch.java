package io.jlockdep.agent.instrument;

/**
 * What one instrumented method gets: a hook at entry, a hook at every normal exit, and a hook at
 * the exceptional exit (a catch-all handler around the original body that calls it and rethrows
 * what it caught). Any of the three may be null.
 *
 * <p>An exit hook's {@link Hook.Arg.Kind#VALUE} is the value returned; an exceptional-exit hook's
 * is the throwable. An {@link Hook.Arg.Kind#ENTERED} argument is what the enter hook returned.
 *
 * @param enter at entry, before the original code
 * @param exit before every {@code return}
 * @param thrown when the original code throws, before the throwable propagates
 */
record Patch(Hook enter, Hook exit, Hook thrown) {

    Patch {
        if ((exit != null && exit.uses(Hook.Arg.Kind.ENTERED) || thrown != null && thrown.uses(Hook.Arg.Kind.ENTERED))
                && (enter == null || !(enter.returnsInt() || enter.returnsObject()))) {
            throw new IllegalArgumentException(
                    "an exit uses the enter hook's result, but " + enter + " returns neither an int nor an object");
        }
    }

    static Patch enter(Hook enter) {
        return new Patch(enter, null, null);
    }

    static Patch exit(Hook exit) {
        return new Patch(null, exit, null);
    }

    /** The same hook at both exits, normal and exceptional. */
    static Patch exits(Hook exit) {
        return new Patch(null, exit, exit);
    }

    /** An enter hook and the same hook at both exits. */
    static Patch around(Hook enter, Hook exit) {
        return new Patch(enter, exit, exit);
    }

    /** An enter hook and one hook per kind of exit. */
    static Patch around(Hook enter, Hook exit, Hook thrown) {
        return new Patch(enter, exit, thrown);
    }

    /** Whether the enter hook's result is kept for an exit. */
    boolean keepsEntered() {
        return exit != null && exit.uses(Hook.Arg.Kind.ENTERED) || thrown != null && thrown.uses(Hook.Arg.Kind.ENTERED);
    }
}
