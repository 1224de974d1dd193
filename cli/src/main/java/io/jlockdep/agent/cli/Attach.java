package io.jlockdep.agent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.VirtualMachine;
import io.jlockdep.agent.report.LockdepControl;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.UUID;

/**
 * {@code attach PID [OPTIONS]}: starts the agent in a running JVM, saying the outcome in one line
 * on each side. The options are checked here first, with the agent's own parser, so that a
 * malformed option never reaches the running application; what only the JVM attached to can tell
 * (a spec file missing from its file system, a class it cannot load) comes back from the agent in
 * an agent property ({@link LockdepControl#ATTACH_COMMAND}), where the Attach API alone would say
 * "agent failed to initialize" and the JDK print the agent's exception with its trace and three
 * assertion lines on the application's stderr.
 */
final class Attach {

    private Attach() {}

    /** The agent's option parser, from the jar's tooling part ({@code inst/}), which the system loader does not see. */
    private static final String OPTIONS = "io.jlockdep.agent.instrument.AgentOptions";

    /**
     * Checks {@code options} as the agent will.
     *
     * @throws IllegalArgumentException naming the offending option, as the agent would
     */
    static void check(String options, Path agentJar) throws IOException {
        URL tooling = java.net.URI.create("jar:" + agentJar.toUri() + "!/inst/").toURL();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {tooling}, Attach.class.getClassLoader())) {
            Class.forName(OPTIONS, true, loader)
                    .getMethod("parse", String.class)
                    .invoke(null, options);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw bad;
            }
            throw new IllegalStateException("the agent's option parser failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("attach runs from the agent jar, which lacks " + OPTIONS + ": " + e, e);
        }
    }

    /**
     * Attaches the agent in {@code agentJar} to process {@code pid} ({@link Dump#checkedPid}) with
     * {@code options}, checked first ({@link #check}); prints one line on success.
     *
     * @throws Dump.Failure a bad option, a process that runs the agent already or could not be
     *     attached to, or an agent that did not start there: one line each
     */
    static void run(long pid, String options, Path agentJar, PrintStream out) throws IOException {
        try {
            check(options, agentJar);
        } catch (IllegalArgumentException bad) {
            throw new Dump.Failure("not attached to process " + pid + ": " + bad.getMessage(), bad);
        }
        Dump.withVm(pid, "attach to", vm -> start(vm, pid, options, agentJar, out));
    }

    /** Starts the agent in the attached JVM {@code vm} and reads its answer ({@link #run}). */
    private static void start(VirtualMachine vm, long pid, String options, Path agentJar, PrintStream out)
            throws IOException {
        String running = vm.getAgentProperties().getProperty(LockdepControl.RUNNING_PROPERTY);
        if (running != null) {
            throw new Dump.Failure(
                    "process " + pid + " runs the jlockdep agent already"
                            + (running.equals("unknown") ? "" : " (" + running + ")")
                            + ", with the options it started with: nothing attached",
                    null);
        }
        String token = UUID.randomUUID().toString();
        try {
            vm.loadAgent(agentJar.toString(), LockdepControl.ATTACH_COMMAND + token + ":" + options);
        } catch (AgentLoadException | AgentInitializationException e) {
            throw Dump.failure(pid, "start the agent in", e);
        }
        String outcome = vm.getAgentProperties().getProperty(LockdepControl.ATTACH_RESULT + token);
        if (outcome == null) {
            throw new Dump.Failure(
                    "process " + pid + " loaded the agent but did not say whether it started (see its output)", null);
        }
        if (outcome.startsWith("failed ")) {
            throw new Dump.Failure(
                    "process " + pid + " did not start the agent: "
                            + io.jlockdep.api.Printable.escape(outcome.substring("failed ".length())),
                    null);
        }
        out.println("jlockdep " + outcome.substring("ok ".length()) + " attached to process " + pid
                + (options.isEmpty() ? "" : " with " + io.jlockdep.api.Printable.escape(options)));
    }
}
