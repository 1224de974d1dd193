package io.jlockdep.agent.report;

import io.jlockdep.agent.engine.Lockdep;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;

/** The MBean behind {@link LockdepControlMXBean}. */
public final class LockdepControl implements LockdepControlMXBean {

    public static final String NAME = "io.jlockdep:type=Lockdep";

    /**
     * The agent property (the Attach API's {@code getAgentProperties}, not a system property) a
     * JVM running the agent has, the agent's version: {@code dump PID} reads it to tell such a
     * JVM from one without the agent.
     */
    public static final String RUNNING_PROPERTY = "io.jlockdep.agent.running";

    /**
     * The options of an attach that asks the agent already running to register this MBean
     * ({@code dump PID} on a JVM started without {@code jmx=on}); any other second attach is
     * refused with one line.
     */
    public static final String REGISTER_REQUEST = "jmx=on";

    /**
     * How the options of an attach by {@code java -jar jlockdep-agent.jar attach PID} begin, then a
     * token and {@code :}: the agent then answers in the agent property {@link #ATTACH_RESULT}
     * plus the token ({@code ok VERSION}, or {@code failed REASON}) instead of throwing, so that
     * each side prints one line and not the JDK's trace and assertion lines.
     */
    public static final String ATTACH_COMMAND = "jlockdep-attach:";

    /** The prefix of the agent property that answers an {@link #ATTACH_COMMAND}. */
    public static final String ATTACH_RESULT = "io.jlockdep.agent.attach.";

    private final Lockdep engine;
    private final AgentSink sink;
    private final LogOutput log;

    private LockdepControl(Lockdep engine, AgentSink sink, LogOutput log) {
        this.engine = engine;
        this.sink = sink;
        this.log = log;
    }

    /** Registers the MBean with the platform MBean server. */
    public static void register(Lockdep engine, AgentSink sink, LogOutput log) throws JMException {
        ManagementFactory.getPlatformMBeanServer()
                .registerMBean(new LockdepControl(engine, sink, log), new ObjectName(NAME));
    }

    @Override
    public String heldLocks() {
        String dump = HeldLocksDump.render(engine);
        log.warn(dump);
        return dump;
    }

    @Override
    public int violationCount() {
        return engine.violations().size();
    }

    @Override
    public void writeReport() {
        sink.writeReport();
    }
}
