package io.jlockdep.agent.hook;

/**
 * What the installer learned from class files about the no-argument methods lock paths name:
 * for each, the field a plain getter returns, or why the method cannot be evaluated. Implemented
 * by the tooling's class-file reader ({@code instrument.GetterIndex}); {@link PathResolver}
 * asks it, so that a lock path never runs application code.
 */
public interface Getters {

    /** A method step's verdict: the field to read instead, or the refusal. */
    record Verdict(String fieldOwner, String field, String refusal) {
        /** Whether the method is a plain field getter (then {@link #field} is read instead). */
        public boolean isGetter() {
            return field != null;
        }
    }

    /** The verdict for {@code name()} declared in {@code owner}, or null when its class file was never seen. */
    Verdict verdict(Class<?> owner, String name);

    /** No class file was seen: every method step is refused. */
    Getters NONE = (owner, name) -> null;
}
