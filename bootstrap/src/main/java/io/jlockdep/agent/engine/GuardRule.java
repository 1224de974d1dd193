package io.jlockdep.agent.engine;

import java.util.Objects;

/**
 * A lock contract one member's annotation writes down ({@code @GuardedBy("lock")} on a field or a
 * method, {@code @Holding}): the member, the lock expression as written and the annotation it came
 * from. The instrumentation resolves the lock instance at each access; the rule itself is data,
 * read from the class file when the member's class loads.
 */
public final class GuardRule {

    /** What the contract guards. */
    public enum Kind {
        /** A field: every read with the lock held, every write with it held for writing. */
        FIELD,
        /** A method: entered with the lock held. */
        HOLDING,
        /** A method that releases no lock it was called with ({@code @ReleasesNoLocks}): a scope on the thread. */
        RELEASES_NO_LOCKS,
        /** A method that takes and releases no lock at all ({@code @LockingFree}): a scope on the thread. */
        LOCKING_FREE
    }

    private final Kind kind;
    private final String member;
    private final String expression;
    private final String annotation;
    private final String declaration;

    /** A contract whose lock is named by its expression alone (see {@link #GuardRule(Kind, String, String, String, String)}). */
    public GuardRule(Kind kind, String member, String expression, String annotation) {
        this(kind, member, expression, annotation, null);
    }

    /**
     * @param kind       what the contract guards
     * @param member     the guarded member, e.g. {@code com.example.Cache.entries}
     * @param expression the lock expression as written, e.g. {@code lock}; empty for a scope
     * @param annotation the annotation it came from, e.g. {@code @javax.annotation.concurrent.GuardedBy}
     * @param declaration where the lock the expression names is declared, e.g.
     *     {@code com.example.Cache.lock} or {@code com.example.Cache.getLock()}; null when the
     *     expression says it ({@code this}, a class literal)
     */
    public GuardRule(Kind kind, String member, String expression, String annotation, String declaration) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.member = Objects.requireNonNull(member, "member");
        this.expression = Objects.requireNonNull(expression, "expression");
        this.annotation = Objects.requireNonNull(annotation, "annotation");
        this.declaration = declaration;
    }

    public Kind kind() {
        return kind;
    }

    public String member() {
        return member;
    }

    public String expression() {
        return expression;
    }

    public String annotation() {
        return annotation;
    }

    /** The binary name of the class that declares the member. */
    public String ownerClass() {
        String m = kind == Kind.FIELD ? member : member.substring(0, member.length() - 2);
        return m.substring(0, m.lastIndexOf('.'));
    }

    /** Where the lock is declared ({@code com.example.Cache.lock}), or null when the expression says it. */
    public String declaration() {
        return declaration;
    }

    /** Whether the contract is a scope on the thread ({@code @ReleasesNoLocks}, {@code @LockingFree}). */
    public boolean isScope() {
        return kind == Kind.RELEASES_NO_LOCKS || kind == Kind.LOCKING_FREE;
    }

    /**
     * {@code @javax.annotation.concurrent.GuardedBy("lock") on com.example.Cache.entries}, or
     * {@code @org.checkerframework.checker.lock.qual.LockingFree on com.example.Cache.size()}.
     */
    @Override
    public String toString() {
        return annotation + (isScope() ? "" : "(\"" + expression + "\")") + " on " + member;
    }
}
