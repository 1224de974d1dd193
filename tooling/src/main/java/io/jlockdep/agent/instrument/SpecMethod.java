package io.jlockdep.agent.instrument;

import io.jlockdep.agent.spec.LockSpec;

/** One method a spec rule is about: its entry index (bound into its advice), the rule's entry, and whether it is a callback. */
final class SpecMethod {
    final int index;
    final LockSpec spec;
    final LockSpec.Entry entry;
    final boolean callback;
    /** Whether the one warning about this method (missing, native, bad path) was printed. */
    volatile boolean warned;

    SpecMethod(int index, LockSpec spec, LockSpec.Entry entry, boolean callback) {
        this.index = index;
        this.spec = spec;
        this.entry = entry;
        this.callback = callback;
    }

    /** The spec file and line of the rule's entry. */
    String where() {
        return spec.source() + ":" + entry.line();
    }
}
