package io.jlockdep.agent.engine;

/** Stack capture for reports, without the agent's own frames. Slow path only. */
final class StackTraces {

    private static final StackTraceElement[] EMPTY = new StackTraceElement[0];
    /**
     * Frames skipped at the top of every capture: the engine and the instrumentation, then the
     * instrumented lock implementations themselves, so a stack starts where the lock was taken
     * (the kernel's "at:" is the caller of mutex_lock too, not mutex_lock).
     */
    private static final String[] INTERNAL = {
        "io.jlockdep.agent.engine.Lockdep", "io.jlockdep.agent.engine.StackTraces", "io.jlockdep.agent.instrument.",
        "java.util.concurrent.locks.ReentrantLock", "java.util.concurrent.locks.ReentrantReadWriteLock",
        "java.util.concurrent.locks.AbstractQueuedSynchronizer", "io.jlockdep.resv.ReservationLock",
        "io.jlockdep.resv.WwAcquireContext"};

    private StackTraces() {
    }

    /** The calling thread's stack from the first frame outside the agent. */
    static StackTraceElement[] capture() {
        return capture(Integer.MAX_VALUE);
    }

    /**
     * At most {@code limit} frames of the calling thread's stack, from the first frame outside the
     * agent. Frames below the limit are never materialised, so a capture deep inside a recursion
     * costs what {@code limit} frames cost.
     */
    static StackTraceElement[] capture(int limit) {
        StackTraceElement[] out = WALKER.walk(frames -> frames.dropWhile(f -> isInternal(f.getClassName()))
                .limit(limit).map(StackWalker.StackFrame::toStackTraceElement).toArray(StackTraceElement[]::new));
        return out.length == 0 ? EMPTY : out;
    }

    private static boolean isInternal(String className) {
        for (String internal : INTERNAL) {
            if (internal.endsWith(".") ? className.startsWith(internal)
                    : className.equals(internal) || className.startsWith(internal + "$")) {
                return true;
            }
        }
        return false;
    }

    private static final StackWalker WALKER = StackWalker.getInstance();

    /** The first frame outside the agent, as text: the site a violation is deduplicated by. */
    static String site() {
        return WALKER.walk(frames -> frames.filter(f -> !isInternal(f.getClassName()))
                .findFirst().map(StackWalker.StackFrame::toString).orElse("(unknown)"));
    }

    /** The first frame, or a placeholder. */
    static String top(StackTraceElement[] stack) {
        return stack == null || stack.length == 0 ? "(unknown)" : stack[0].toString();
    }
}
