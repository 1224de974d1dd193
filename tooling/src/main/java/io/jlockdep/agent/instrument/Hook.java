package io.jlockdep.agent.instrument;

import java.util.List;

/**
 * One call the instrumentation inserts: a public static method of the hooks (in the boot loader)
 * and where each of its arguments comes from. {@link MethodPatcher} writes it as plain bytecode:
 * the arguments pushed in order, then one {@code invokestatic}, nothing else, so that the JIT
 * inlines it into the lock method like any small static call.
 *
 * @param owner the hook class, internal name
 * @param name the hook method
 * @param descriptor the hook method's descriptor; {@code HookTargetsTest} checks it exists
 * @param args where each argument comes from, in order
 */
record Hook(String owner, String name, String descriptor, List<Arg> args) {

    static final String HOOKS = "io/jlockdep/agent/hook/Hooks";
    static final String MONITOR_HOOKS = "io/jlockdep/agent/hook/MonitorHooks";
    static final String SEMAPHORE_HOOKS = "io/jlockdep/agent/hook/SemaphoreHooks";
    static final String WW_HOOKS = "io/jlockdep/agent/hook/WwHooks";

    Hook {
        args = List.copyOf(args);
        for (int i = 1; i < args.size(); i++) {
            if (args.get(i).kind() == Arg.Kind.VALUE) {
                throw new IllegalArgumentException("the value (return or thrown) can only be the first argument of "
                        + name + ": the inserted code copies it from the top of the stack");
            }
        }
    }

    /** A call to {@code owner.name(descriptor)} with {@code args}. */
    static Hook call(String owner, String name, String descriptor, Arg... args) {
        return new Hook(owner, name, descriptor, List.of(args));
    }

    /** Whether an argument is {@code kind}. */
    boolean uses(Arg.Kind kind) {
        for (Arg a : args) {
            if (a.kind() == kind) {
                return true;
            }
        }
        return false;
    }

    /** Whether the hook returns an int (the enter hook of a method whose exit needs it). */
    boolean returnsInt() {
        return descriptor.endsWith(")I");
    }

    /** Whether the hook returns an object (a token the enter hook hands to the exit hook). */
    boolean returnsObject() {
        return descriptor.endsWith(")Ljava/lang/Object;");
    }

    /**
     * Where a hook argument comes from.
     *
     * @param kind the source
     * @param index the argument index ({@link Kind#ARG}) or the constant ({@link Kind#INT})
     * @param field the field name ({@link Kind#FIELD})
     */
    record Arg(Kind kind, int index, String field) {

        /** The sources of hook arguments. */
        enum Kind {
            /** {@code this}. */
            THIS,
            /** a field of {@code this}, declared by the instrumented class. */
            FIELD,
            /** a parameter of the instrumented method. */
            ARG,
            /** an int constant (booleans as 0 and 1). */
            INT,
            /** {@code null}. */
            NULL,
            /** the value returned (at a normal exit) or thrown (at an exceptional exit); only first. */
            VALUE,
            /** what the enter hook returned (an int kept in a new local). */
            ENTERED,
            /** {@code this}, or the declaring class in a static method: a synchronized method's monitor. */
            MONITOR
        }

        static Arg self() {
            return new Arg(Kind.THIS, 0, null);
        }

        static Arg field(String name) {
            return new Arg(Kind.FIELD, 0, name);
        }

        static Arg arg(int index) {
            return new Arg(Kind.ARG, index, null);
        }

        static Arg constant(int value) {
            return new Arg(Kind.INT, value, null);
        }

        static Arg constant(boolean value) {
            return constant(value ? 1 : 0);
        }

        static Arg nothing() {
            return new Arg(Kind.NULL, 0, null);
        }

        static Arg value() {
            return new Arg(Kind.VALUE, 0, null);
        }

        static Arg entered() {
            return new Arg(Kind.ENTERED, 0, null);
        }

        static Arg monitor() {
            return new Arg(Kind.MONITOR, 0, null);
        }
    }
}
