package io.jlockdep.agent.instrument;

import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * One family of instrumented types: which classes and methods it patches, and with which hook
 * calls ({@link ClassPlan}, {@link HookCalls}). {@link AgentInstaller#families} lists them; adding
 * a lock type is one new implementation and one line there (ARCHITECTURE.md shows it).
 */
interface LockFamily {

    /**
     * The JDK classes of this family the JVM may have loaded before the agent starts: at start-up
     * only these (not every loaded class) are retransformed.
     */
    default List<String> preloaded() {
        return List.of();
    }

    /** The classes this family patches, by name, and how. */
    default List<ClassPlan> plans() {
        return List.of();
    }

    /** Called once the plans' transformer is installed, for families that add their own transformer. */
    default void installed(Instrumentation inst, boolean atStartup) {}

    /**
     * Waits for work {@link #installed} started on a thread of its own (in parallel with the
     * retransformation of the plans' classes): called before the agent's start-up returns, so the
     * application's first instruction runs fully instrumented.
     */
    default void awaitInstalled() {}
}
