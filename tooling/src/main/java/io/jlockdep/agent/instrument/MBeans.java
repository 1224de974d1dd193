package io.jlockdep.agent.instrument;

import io.jlockdep.agent.report.LockdepControl;
import javax.management.JMException;

/**
 * Registers the agent's MBean. A class of its own: a class that names {@code javax.management}
 * types cannot be loaded in a runtime without {@code java.management}, and {@link AgentInstaller}
 * must load in every runtime. Called only when the module is there.
 */
final class MBeans {

    private MBeans() {}

    /** Registers {@link LockdepControl}; false, with the reason logged, when it cannot be. */
    static boolean register(AgentInstaller.Installed agent) {
        try {
            LockdepControl.register(agent.engine(), agent.sink(), agent.log());
            return true;
        } catch (JMException | RuntimeException e) {
            agent.log().warn("jlockdep: cannot register the MBean " + LockdepControl.NAME + ": " + e);
            return false;
        }
    }
}
