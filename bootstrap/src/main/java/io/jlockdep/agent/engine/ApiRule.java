package io.jlockdep.agent.engine;

import java.util.Objects;

/**
 * A rule of a locking specification about an API entry point or a callback, and the lock it
 * concerns (e.g. dma-buf importer rule 1: {@code dma_buf_map_attachment} must be called with the
 * buffer's reservation lock held). The instrumentation resolves the lock instance per call; the
 * rule itself is data, usually parsed from a spec file.
 */
public final class ApiRule {

    /** What the rule demands. */
    public enum Kind {
        /** The caller must hold the lock when calling the function. */
        MUST_HOLD,
        /** The caller must not hold the lock when calling the function. */
        MUST_NOT_HOLD,
        /** The callback is invoked with the lock held and must not acquire it. */
        CALLBACK_LOCKED,
        /** The callback is invoked with the lock not held (and may take it). */
        CALLBACK_UNLOCKED,
        /** The lock must not be acquired while the function runs. */
        MUST_NOT_ACQUIRE_INSIDE
    }

    private final String id;
    private final Kind kind;
    private final String function;
    private final String lockDescription;
    private final String text;
    private final String citation;

    /**
     * @param id              rule ID, e.g. {@code dma-buf/importer-locked}
     * @param kind            what the rule demands
     * @param function        the function or callback it is about, e.g. {@code dma_buf_map_attachment}
     * @param lockDescription how the lock is reached, e.g. {@code attach->dmabuf->resv}
     * @param text            the rule as the specification words it
     * @param citation        where the specification states it
     */
    public ApiRule(String id, Kind kind, String function, String lockDescription, String text, String citation) {
        this.id = Objects.requireNonNull(id, "id");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.function = Objects.requireNonNull(function, "function");
        this.lockDescription = Objects.requireNonNull(lockDescription, "lockDescription");
        this.text = Objects.requireNonNull(text, "text");
        this.citation = Objects.requireNonNull(citation, "citation");
    }

    public String id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    public String function() {
        return function;
    }

    public String lockDescription() {
        return lockDescription;
    }

    public String text() {
        return text;
    }

    public String citation() {
        return citation;
    }

    boolean isCallback() {
        return kind == Kind.CALLBACK_LOCKED || kind == Kind.CALLBACK_UNLOCKED;
    }

    @Override
    public String toString() {
        return id + " (" + kind + " " + function + ")";
    }
}
