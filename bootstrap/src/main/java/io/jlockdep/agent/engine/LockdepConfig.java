package io.jlockdep.agent.engine;

import java.util.Objects;
import java.util.function.Function;

/**
 * The engine's settings: the memory bounds (lockdep's MAX_LOCKDEP_KEYS, MAX_LOCKDEP_ENTRIES,
 * MAX_LOCKDEP_CHAINS, MAX_LOCK_DEPTH), fail mode, and how lock instances are named in reports.
 * Immutable; build with {@link #builder()}.
 */
public final class LockdepConfig {

    /** What to do when a thread nests two instances of one class without a common nest context. */
    public enum SameClassNesting {
        /**
         * Java's default: order the instances ({@link InstanceOrder}); report only when two
         * instances are taken in both orders.
         */
        INSTANCE_ORDER,
        /**
         * The kernel's behaviour without nest annotations: report it as
         * {@code lockdep/recursive-locking} at once (lib/locking-selftest.c's AA verdicts).
         */
        REPORT
    }

    private final int maxClasses;
    private final int maxEdges;
    private final int maxChains;
    private final int maxInstanceEdges;
    private final int maxDepth;
    private final int maxStackDepth;
    private final int maxStackEntries;
    private final java.util.List<String> skippedFrames;
    private final boolean failFast;
    private final Function<Object, String> instanceNamer;
    private final SameClassNesting sameClassNesting;
    private final boolean gateLocks;
    private final Suppressions suppressions;

    private LockdepConfig(Builder b) {
        this.maxClasses = b.maxClasses;
        this.maxEdges = b.maxEdges;
        this.maxChains = b.maxChains;
        this.maxInstanceEdges = b.maxInstanceEdges;
        this.maxDepth = b.maxDepth;
        this.maxStackDepth = b.maxStackDepth;
        this.maxStackEntries = b.maxStackEntries;
        this.failFast = b.failFast;
        this.skippedFrames = b.skippedFrames;
        this.instanceNamer = b.instanceNamer;
        this.sameClassNesting = b.sameClassNesting;
        this.gateLocks = b.gateLocks;
        this.suppressions = b.suppressions;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: 16384 classes, 262144 edges, 262144 chains, 65536 instance edges, depth 1024, warn mode. */
    public static LockdepConfig defaults() {
        return builder().build();
    }

    public int maxClasses() {
        return maxClasses;
    }

    public int maxEdges() {
        return maxEdges;
    }

    public int maxChains() {
        return maxChains;
    }

    public int maxInstanceEdges() {
        return maxInstanceEdges;
    }

    public int maxDepth() {
        return maxDepth;
    }

    /** Fail mode: violations throw {@link LockdepViolationError} at the violating call. */
    /** Frames kept of one stack (deeper ones end with a marker frame). */
    public int maxStackDepth() {
        return maxStackDepth;
    }

    /**
     * Frame slots kept in all (the kernel's {@code MAX_STACK_TRACE_ENTRIES}): distinct frames plus
     * the references of distinct traces. Past it, new stacks are kept as one frame and a marker.
     */
    public int maxStackEntries() {
        return maxStackEntries;
    }

    /**
     * Frames left out at the top of recorded stacks, besides the engine's own: class names (and
     * their nested classes) or package prefixes ending in '.'. The agent names its
     * instrumentation and the lock implementations it instruments.
     */
    public java.util.List<String> skippedFrames() {
        return skippedFrames;
    }

    public boolean failFast() {
        return failFast;
    }

    /** Names an instance in reports; must not take locks or call user code that might. */
    public Function<Object, String> instanceNamer() {
        return instanceNamer;
    }

    /**
     * Whether a cycle whose every dependency was taken under one common outer lock (a gate lock,
     * which serialises them) is left unreported (default true).
     */
    public boolean gateLocks() {
        return gateLocks;
    }

    public SameClassNesting sameClassNesting() {
        return sameClassNesting;
    }

    /** The user's suppressions (option {@code suppress}). */
    public Suppressions suppressions() {
        return suppressions;
    }

    /** The default namer: {@code SimpleClassName@identityHash}, never calling user code. */
    public static String identityName(Object instance) {
        return instance.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(instance));
    }

    public static final class Builder {
        private int maxClasses = 16384;
        private int maxEdges = 262144;
        private int maxChains = 262144;
        private int maxInstanceEdges = 65536;
        private int maxDepth = 1024;
        private int maxStackDepth = 64;
        private int maxStackEntries = 1 << 20;
        private boolean failFast;
        private java.util.List<String> skippedFrames = java.util.List.of();
        private Function<Object, String> instanceNamer = LockdepConfig::identityName;
        private SameClassNesting sameClassNesting = SameClassNesting.INSTANCE_ORDER;
        private boolean gateLocks = true;
        private Suppressions suppressions = Suppressions.NONE;

        private static int positive(String what, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " must be at least 1, got " + value);
            }
            return value;
        }

        public Builder maxClasses(int n) {
            maxClasses = positive("maxClasses", n);
            return this;
        }

        public Builder maxEdges(int n) {
            maxEdges = positive("maxEdges", n);
            return this;
        }

        public Builder maxChains(int n) {
            maxChains = positive("maxChains", n);
            return this;
        }

        public Builder maxInstanceEdges(int n) {
            maxInstanceEdges = positive("maxInstanceEdges", n);
            return this;
        }

        public Builder maxDepth(int n) {
            maxDepth = positive("maxDepth", n);
            return this;
        }

        public Builder maxStackDepth(int n) {
            maxStackDepth = positive("maxStackDepth", n);
            return this;
        }

        public Builder maxStackEntries(int n) {
            maxStackEntries = positive("maxStackEntries", n);
            return this;
        }

        public Builder skippedFrames(java.util.List<String> frames) {
            skippedFrames = java.util.List.copyOf(frames);
            return this;
        }

        public Builder failFast(boolean fail) {
            failFast = fail;
            return this;
        }

        public Builder instanceNamer(Function<Object, String> namer) {
            instanceNamer = Objects.requireNonNull(namer, "namer");
            return this;
        }

        public Builder gateLocks(boolean honour) {
            gateLocks = honour;
            return this;
        }

        public Builder sameClassNesting(SameClassNesting mode) {
            sameClassNesting = Objects.requireNonNull(mode, "mode");
            return this;
        }

        public Builder suppressions(Suppressions s) {
            suppressions = Objects.requireNonNull(s, "suppressions");
            return this;
        }

        public LockdepConfig build() {
            return new LockdepConfig(this);
        }
    }
}
