package io.jlockdep.agent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.jlockdep.agent.report.LockdepControl;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code dump PID}: the held-locks dump of a running (or hung) JVM under the agent, from the
 * command line, without {@code jcmd} or a JMX client. Through the Attach API: it checks that the
 * process runs the agent (the agent property {@link LockdepControl#RUNNING_PROPERTY}), starts the JVM's local JMX
 * agent, asks the running jlockdep agent to register its MBean if it was started without
 * {@code jmx=on}, and prints what the MBean's {@code heldLocks} returns (the running JVM logs
 * it too). The dump reads the agent's own records: no lock a hung thread holds is needed.
 */
final class Dump {

    private Dump() {}

    /**
     * Prints the dump of process {@code pidText}; {@code agentJar} is this jar, loaded into it if
     * its MBean must be registered. The JMX connection goes to the local connector address the
     * Attach API returned for a JVM of this user, never to an address read from input (BanJNDI).
     */
    @SuppressWarnings("BanJNDI")
    static void run(String pidText, Path agentJar, PrintStream out) throws IOException {
        long pid;
        try {
            pid = Long.parseLong(pidText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("dump takes a process id, not '" + pidText + "'", e);
        }
        if (pid == ProcessHandle.current().pid()) {
            throw new IllegalArgumentException("dump " + pid + " is this process");
        }
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException e) {
            throw new IllegalArgumentException(
                    "cannot attach to process " + pid
                            + " (not a JVM of this user, or it was started with -XX:+DisableAttachMechanism): "
                            + e.getMessage(),
                    e);
        }
        try {
            String version = vm.getAgentProperties().getProperty(LockdepControl.RUNNING_PROPERTY);
            if (version == null) {
                throw new IllegalArgumentException("process " + pid
                        + " does not run the jlockdep agent (start it with -javaagent:jlockdep-agent.jar)");
            }
            String address = vm.startLocalManagementAgent();
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection server = connector.getMBeanServerConnection();
                ObjectName name = new ObjectName(LockdepControl.NAME);
                if (!server.isRegistered(name)) {
                    vm.loadAgent(agentJar.toString(), LockdepControl.REGISTER_REQUEST);
                }
                if (!server.isRegistered(name)) {
                    throw new IOException("process " + pid + " runs jlockdep " + version + " but did not register "
                            + LockdepControl.NAME + " (see its log)");
                }
                out.print(server.invoke(name, "heldLocks", new Object[0], new String[0]));
            } catch (JMException e) {
                throw new IOException("the MBean " + LockdepControl.NAME + " of process " + pid + " failed: " + e, e);
            } catch (AgentLoadException | AgentInitializationException e) {
                throw new IOException(
                        "process " + pid + " refused the request to register " + LockdepControl.NAME + ": " + e, e);
            }
        } finally {
            vm.detach();
        }
    }
}
