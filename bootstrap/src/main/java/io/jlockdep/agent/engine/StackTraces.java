package io.jlockdep.agent.engine;

/**
 * Stack capture for reports, without the agent's own frames. Slow path only. Which frames are the
 * agent's is the caller's to say ({@link LockdepConfig#skippedFrames()}): the engine skips its own
 * classes and knows nothing of the instrumentation or of the locks it is fed about.
 */
final class StackTraces {

    private static final StackTraceElement[] EMPTY = new StackTraceElement[0];
    /** The engine's own frames, always skipped (by class: the engine's tests share its package). */
    private static final java.util.List<String> ENGINE = java.util.List.of(
            Lockdep.class.getName(),
            StackTraces.class.getName(),
            Reporter.class.getName(),
            ChainValidator.class.getName(),
            DependencyGraph.class.getName(),
            WwChecks.class.getName(),
            ApiChecks.class.getName(),
            HeldLocks.class.getName(),
            LockAcquisition.class.getName());

    /**
     * Frames skipped at the top of every capture: the engine's, then those the configuration
     * names (the instrumentation and the instrumented lock implementations, so a stack starts
     * where the lock was taken: the kernel's "at:" is the caller of mutex_lock, not mutex_lock).
     * An entry ending in '.' is a package prefix; any other is a class and its nested classes.
     */
    private final String[] internal;

    StackTraces(java.util.List<String> skipped) {
        java.util.List<String> all = new java.util.ArrayList<>(ENGINE);
        all.addAll(skipped);
        this.internal = all.toArray(new String[0]);
    }

    /**
     * At most {@code limit} frames of the calling thread's stack, from the first frame outside the
     * agent. Frames below the limit are never materialised, so a capture deep inside a recursion
     * costs what {@code limit} frames cost.
     */
    StackTraceElement[] capture(int limit) {
        StackTraceElement[] out = WALKER.walk(new Capture(limit));
        return out.length == 0 ? EMPTY : out;
    }

    /**
     * The walk of {@link #capture}: the frames pulled one by one, the agent's own skipped, at most
     * {@code limit} kept. A class, not a stream pipeline of lambdas: the first capture runs at
     * the first new lock chain, usually before {@code main}, where linking lambdas and loading the
     * stream operations' classes cost start-up time.
     */
    private final class Capture
            implements java.util.function.Function<
                    java.util.stream.Stream<StackWalker.StackFrame>, StackTraceElement[]> {
        private final int limit;

        Capture(int limit) {
            this.limit = limit;
        }

        @Override
        public StackTraceElement[] apply(java.util.stream.Stream<StackWalker.StackFrame> frames) {
            java.util.Iterator<StackWalker.StackFrame> it = frames.iterator();
            java.util.ArrayList<StackTraceElement> out = new java.util.ArrayList<>(Math.min(limit, 32));
            boolean outside = false;
            while (out.size() < limit && it.hasNext()) {
                StackWalker.StackFrame f = it.next();
                outside = outside || !isInternal(f.getClassName());
                if (outside) {
                    out.add(f.toStackTraceElement());
                }
            }
            return out.toArray(new StackTraceElement[0]);
        }
    }

    private boolean isInternal(String className) {
        for (String prefix : internal) {
            if (prefix.endsWith(".")
                    ? className.startsWith(prefix)
                    : className.startsWith(prefix)
                            && (className.length() == prefix.length() || className.charAt(prefix.length()) == '$')) {
                return true;
            }
        }
        return false;
    }

    private static final StackWalker WALKER = StackWalker.getInstance();

    /** The first frame outside the agent, as text: the site a violation is deduplicated by. */
    String site() {
        return WALKER.walk(frames -> frames.filter(f -> !isInternal(f.getClassName()))
                .findFirst()
                .map(StackWalker.StackFrame::toString)
                .orElse("(unknown)"));
    }

    /**
     * The frame that called the first frame outside the agent, as text: the site a spec rule's
     * violation is deduplicated by. The first frame is the ruled method itself (its check is
     * inlined at its entry), the same for every call; its caller is where the convention was
     * broken (three bad call sites are three reports, and a JDK call at start-up does not hide
     * the application's). Null when the caller is the agent itself (its engine uses the JDK's
     * collections, which a user's rule may be about): the agent's own calls are never checked.
     */
    String callerSite() {
        StackWalker.StackFrame caller = WALKER.walk(frames -> frames.dropWhile(f -> isInternal(f.getClassName()))
                .skip(1)
                .findFirst()
                .orElse(null));
        if (caller == null) {
            return "(unknown)";
        }
        return isInternal(caller.getClassName()) ? null : caller.toString();
    }

    /**
     * Whether the static initialiser of {@code className} (binary name), or with
     * {@code constructors} one of its constructors too, is on the calling thread's stack: the
     * class (or an object) it builds is not shared yet, so its lock contracts do not bind, as the
     * static checkers have it.
     */
    static boolean insideInitialiserOf(String className, boolean constructors) {
        return WALKER.walk(frames -> frames.anyMatch(f -> f.getClassName().equals(className)
                && (f.getMethodName().equals("<clinit>")
                        || constructors && f.getMethodName().equals("<init>"))));
    }

    /** The first frame, or a placeholder. */
    static String top(StackTraceElement[] stack) {
        return stack == null || stack.length == 0 ? "(unknown)" : stack[0].toString();
    }

    /**
     * The application's frame of a stack: the first one outside the JDK (a lock taken inside
     * {@code Hashtable.equals} is taken where the application called {@code equals}), else the top.
     */
    static String applicationSite(StackTraceElement[] stack) {
        if (stack != null) {
            for (StackTraceElement f : stack) {
                if (!Lockdep.isJdkClass(f.getClassName())) {
                    return f.toString();
                }
            }
        }
        return top(stack);
    }
}
