package io.jlockdep.scenarios;

/** Something for a critical section to do: it reads the object, and the result is kept. */
final class Work {

    /** Written so that the work is not optimised away (never read). */
    static volatile int sink;

    private Work() {}

    static void touch(Object o) {
        sink = o.hashCode();
    }
}
