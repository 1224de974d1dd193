package io.jlockdep.agent.report;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The JVM's agent properties: where a JVM publishes what tools attaching to it read (its local
 * JMX address is one), not system properties the application would see. The agent says there
 * that it runs ({@link LockdepControl#RUNNING_PROPERTY}, for {@code dump PID}) and how an
 * {@code attach PID} went ({@link LockdepControl#ATTACH_RESULT}).
 */
public final class AgentProperties {

    private AgentProperties() {}

    /**
     * Sets agent property {@code key}; returns false when this JDK does not let the agent reach
     * them (its internal {@code jdk.internal.vm.VMSupport}, opened to this class's module with
     * {@code inst}).
     */
    public static boolean set(Instrumentation inst, String key, String value) {
        try {
            inst.redefineModule(
                    Object.class.getModule(),
                    Set.of(),
                    Map.of("jdk.internal.vm", Set.of(AgentProperties.class.getModule())),
                    Map.of(),
                    Set.of(),
                    Map.of());
            Object properties = Class.forName("jdk.internal.vm.VMSupport")
                    .getMethod("getAgentProperties")
                    .invoke(null);
            ((Properties) properties).setProperty(key, value);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
