package io.jlockdep.agent.instrument;

import io.jlockdep.agent.hook.EntryIndex;
import io.jlockdep.agent.hook.Hooks;
import net.bytebuddy.asm.Advice;

/**
 * Advice for the methods of specification rules, one class per root of the lock path; the entry
 * index is bound as a constant per instrumented method.
 */
final class ApiAdvice {

    private ApiAdvice() {}

    static final class OnThis {
        @Advice.OnMethodEnter
        static void enter(@EntryIndex int index, @Advice.This Object root) {
            Hooks.apiEnter(index, root);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@EntryIndex int index) {
            Hooks.apiExit(index);
        }
    }

    static final class OnArg0 {
        @Advice.OnMethodEnter
        static void enter(@EntryIndex int index, @Advice.Argument(0) Object root) {
            Hooks.apiEnter(index, root);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@EntryIndex int index) {
            Hooks.apiExit(index);
        }
    }

    static final class OnArg1 {
        @Advice.OnMethodEnter
        static void enter(@EntryIndex int index, @Advice.Argument(1) Object root) {
            Hooks.apiEnter(index, root);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@EntryIndex int index) {
            Hooks.apiExit(index);
        }
    }

    static final class OnArg2 {
        @Advice.OnMethodEnter
        static void enter(@EntryIndex int index, @Advice.Argument(2) Object root) {
            Hooks.apiEnter(index, root);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@EntryIndex int index) {
            Hooks.apiExit(index);
        }
    }

    static final class OnArg3 {
        @Advice.OnMethodEnter
        static void enter(@EntryIndex int index, @Advice.Argument(3) Object root) {
            Hooks.apiEnter(index, root);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@EntryIndex int index) {
            Hooks.apiExit(index);
        }
    }

    static final class OnReturn {
        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@EntryIndex int index, @Advice.Return Object value, @Advice.Thrown Throwable thrown) {
            if (thrown == null) {
                Hooks.apiReturned(index, value);
            }
        }
    }

    /** The advice class for a path root (an argument index, {@code -1} this, {@code -2} return), or null. */
    static Class<?> forRoot(int root) {
        switch (root) {
            case -1:
                return OnThis.class;
            case -2:
                return OnReturn.class;
            case 0:
                return OnArg0.class;
            case 1:
                return OnArg1.class;
            case 2:
                return OnArg2.class;
            case 3:
                return OnArg3.class;
            default:
                return null;
        }
    }
}
