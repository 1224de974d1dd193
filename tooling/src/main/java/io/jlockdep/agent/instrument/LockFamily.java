package io.jlockdep.agent.instrument;

import java.lang.instrument.Instrumentation;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * One family of instrumented types: which types and methods it matches, the advice it puts there,
 * and through it the hook its advice calls. {@link AgentInstaller#families} lists them; adding a
 * lock type is one new implementation and one line there (ARCHITECTURE.md shows it).
 */
interface LockFamily {

    /**
     * The JDK classes of this family the JVM may have loaded before the agent starts: at start-up
     * only these (not every loaded class) are retransformed.
     */
    default List<String> preloaded() {
        return List.of();
    }

    /** Adds this family's matchers and advice to the builder. */
    AgentBuilder instrument(AgentBuilder builder);

    /** Called once the Byte Buddy transformer is installed, for families that add their own transformer. */
    default void installed(Instrumentation inst, boolean atStartup) {}
}
