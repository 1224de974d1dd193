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

    /** Why a dump failed, in one line naming the process: printed as it is, without a class name. */
    static final class Failure extends IOException {
        private static final long serialVersionUID = 1L;

        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A failure of process {@code pid} while {@code doing}, in one line: the first line of the
     * cause's message (a JMX {@code ConnectException} nests its cause's message on a second line).
     */
    static Failure failure(long pid, String doing, Throwable cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        int newline = message.indexOf('\n');
        String first = (newline < 0 ? message : message.substring(0, newline)).strip();
        if (first.endsWith(";")) {
            first = first.substring(0, first.length() - 1);
        }
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        return new Failure(
                "cannot " + doing + " process " + pid + (alive ? "" : " (it has ended)") + ": "
                        + io.jlockdep.api.Printable.escape(first),
                cause);
    }

    /**
     * The process id {@code pidText} names, for {@code command} ({@code dump}, {@code attach}),
     * checked before anything else is looked at.
     *
     * @throws IllegalArgumentException not a number, not positive, this process, or no such process
     */
    static long checkedPid(String command, String pidText) {
        long pid;
        try {
            pid = Long.parseLong(pidText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(command + " takes a process id, not '" + pidText + "'", e);
        }
        if (pid <= 0) {
            throw new IllegalArgumentException(command + " takes a process id, a positive number, not " + pid);
        }
        if (pid == ProcessHandle.current().pid()) {
            throw new IllegalArgumentException(command + " " + pid + " is this process");
        }
        if (ProcessHandle.of(pid).isEmpty()) {
            throw new IllegalArgumentException("no process " + pid + " is running");
        }
        return pid;
    }

    /**
     * Prints the dump of process {@code pid} ({@link #checkedPid}); {@code agentJar} is this jar, loaded into it if
     * its MBean must be registered. The JMX connection goes to the local connector address the
     * Attach API returned for a JVM of this user, never to an address read from input (BanJNDI).
     */
    static void run(long pid, Path agentJar, PrintStream out) throws IOException {
        withVm(pid, "dump", vm -> dump(vm, pid, agentJar, out));
    }

    /** What a command does with the Attach API's connection to a process. */
    interface Session {
        void run(VirtualMachine vm) throws IOException;
    }

    /**
     * Attaches to process {@code pid}, runs {@code session}, and detaches, whatever happens: an
     * I/O failure on the way (the JVM exited while it was being asked) becomes one line saying
     * what the command could not {@code doing}; a {@link Failure} goes out as it is.
     */
    static void withVm(long pid, String doing, Session session) throws IOException {
        VirtualMachine vm = attach(pid);
        try {
            session.run(vm);
        } catch (Failure e) {
            throw e;
        } catch (IOException e) {
            throw failure(pid, doing, e);
        } finally {
            try {
                vm.detach();
            } catch (IOException e) {
                // already gone: nothing to detach from
            }
        }
    }

    /** The Attach API's connection to process {@code pid}, or why there is none, in one line. */
    private static VirtualMachine attach(long pid) throws Failure {
        try {
            return VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException e) {
            throw new IllegalArgumentException(
                    "cannot attach to process " + pid
                            + " (not a JVM of this user, or it was started with -XX:+DisableAttachMechanism): "
                            + e.getMessage(),
                    e);
        } catch (IOException e) {
            throw failure(pid, "attach to", e);
        }
    }

    @SuppressWarnings("BanJNDI")
    private static void dump(VirtualMachine vm, long pid, Path agentJar, PrintStream out) throws IOException {
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
                throw new Failure(
                        "process " + pid + " runs jlockdep " + version + " but did not register " + LockdepControl.NAME
                                + " (see its log)",
                        null);
            }
            out.print(server.invoke(name, "heldLocks", new Object[0], new String[0]));
        } catch (JMException e) {
            throw failure(pid, "call the MBean " + LockdepControl.NAME + " of", e);
        } catch (AgentLoadException | AgentInitializationException e) {
            throw failure(pid, "register " + LockdepControl.NAME + " in", e);
        }
    }
}
