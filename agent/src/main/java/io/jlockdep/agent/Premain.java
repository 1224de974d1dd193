package io.jlockdep.agent;

import io.jlockdep.agent.report.AgentProperties;
import io.jlockdep.agent.report.LockdepControl;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.security.CodeSource;
import java.util.jar.JarFile;

/**
 * The agent's entry point ({@code Premain-Class} and {@code Agent-Class}). It is the only class
 * the system class loader loads from the agent jar (with {@link AgentClassLoader}). It makes the
 * agent's own class loader for the tooling, has it define the bootstrap part (engine, hooks, API)
 * in the boot class loader, so that instrumented JDK classes ({@code java.util.concurrent.locks})
 * and application classes alike reach the hooks, then starts the installer from the tooling.
 *
 * <p>Bad options or a malformed spec stop a JVM started with {@code -javaagent} at once, with one
 * line naming what is wrong and exit status 1; attaching to a running JVM throws instead, and the
 * running application is left alone.
 */
public final class Premain {

    private static final String INSTALLER = "io.jlockdep.agent.instrument.AgentInstaller";
    private static final String INJECTOR = "io.jlockdep.agent.instrument.BootInjector";

    /** The tooling's loader: one per JVM, so a second {@code -javaagent} meets the installer that runs. */
    private static AgentClassLoader tooling;

    private Premain() {}

    /** {@code -javaagent:jlockdep-agent.jar=options}. */
    public static void premain(String args, Instrumentation inst) {
        try {
            start(args, inst, true);
        } catch (Throwable e) {
            // A bad option or spec is named by its message; anything else is a bug worth its trace.
            // Nothing may escape: the JVM would print "FATAL ERROR in native method" and abort.
            if (!(e instanceof IllegalArgumentException) && !(e instanceof VirtualMachineError)) {
                e.printStackTrace();
            }
            System.err.println(
                    "jlockdep: " + (e instanceof VirtualMachineError ? "cannot start: " + e : e.getMessage()));
            System.err.println("jlockdep: the JVM stops here; java -jar jlockdep-agent.jar lists the options");
            System.err.flush();
            Runtime.getRuntime().halt(1);
        }
    }

    /**
     * Attaching to a running JVM (the Attach API's {@code loadAgent}). A failure leaves the
     * application alone and is said in one line on its stderr. Asked by
     * {@code java -jar jlockdep-agent.jar attach} (options that begin with
     * {@link LockdepControl#ATTACH_COMMAND} and a token), the outcome also goes back to that
     * command in an agent property, and nothing is thrown: the JDK prints every throwable an
     * agent's {@code agentmain} throws with its trace and three assertion lines, and tells the
     * attacher no more than "agent failed to initialize". Any other attacher gets the exception,
     * as the Attach API has it.
     */
    public static void agentmain(String args, Instrumentation inst) {
        String token = null;
        String options = args;
        if (args != null && args.startsWith(LockdepControl.ATTACH_COMMAND)) {
            int end = args.indexOf(':', LockdepControl.ATTACH_COMMAND.length());
            if (end > 0) {
                token = args.substring(LockdepControl.ATTACH_COMMAND.length(), end);
                options = args.substring(end + 1);
            }
        }
        try {
            start(options, inst, false);
            if (token != null) {
                String version = Premain.class.getPackage().getImplementationVersion();
                AgentProperties.set(
                        inst, LockdepControl.ATTACH_RESULT + token, "ok " + (version == null ? "unknown" : version));
            }
        } catch (RuntimeException | Error e) {
            String reason = e instanceof IllegalArgumentException ? e.getMessage() : "cannot start: " + e;
            System.err.println("jlockdep: not attached: " + reason);
            System.err.flush();
            // the answer to attach, read by the command; without it the attacher gets the exception
            if (token == null || !AgentProperties.set(inst, LockdepControl.ATTACH_RESULT + token, "failed " + reason)) {
                throw e;
            }
        }
    }

    private static synchronized void start(String args, Instrumentation inst, boolean atStartup) {
        if (tooling == null) {
            File jar = ownJar();
            try {
                JarFile jarFile = new JarFile(jar);
                AgentClassLoader loader =
                        new AgentClassLoader(jarFile, jar.toURI().toURL());
                // The bootstrap part goes into the boot loader (BootInjector says how and why);
                // only where the JVM does not allow that, the jar goes on the boot class path.
                int defined = (int) Class.forName(INJECTOR, true, loader)
                        .getMethod("inject", JarFile.class, Instrumentation.class)
                        .invoke(null, jarFile, inst);
                if (defined < 0) {
                    inst.appendToBootstrapClassLoaderSearch(jarFile);
                }
                tooling = loader;
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot open the agent jar " + jar + ": " + e);
            } catch (InvocationTargetException e) {
                throw rethrow(e);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the agent jar " + jar + " is incomplete: " + e);
            }
        }
        try {
            Class<?> installer = Class.forName(INSTALLER, true, tooling);
            installer
                    .getMethod("install", String.class, Instrumentation.class, boolean.class)
                    .invoke(null, args, inst, atStartup);
        } catch (InvocationTargetException e) {
            throw rethrow(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the agent jar " + ownJar() + " is incomplete: " + e);
        }
    }

    /** What a reflectively called method threw, unwrapped: a RuntimeException or Error as it was. */
    private static RuntimeException rethrow(InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(cause);
    }

    private static File ownJar() {
        CodeSource source = Premain.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("cannot tell which jar the agent was loaded from");
        }
        try {
            File file = new File(source.getLocation().toURI());
            if (!file.isFile()) {
                throw new IllegalStateException(
                        "the agent must run from its jar (jlockdep-agent.jar), not from " + file);
            }
            return file;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("bad agent jar location " + source.getLocation(), e);
        }
    }
}
