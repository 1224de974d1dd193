package io.jlockdep.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.security.CodeSource;
import java.util.jar.JarFile;

/**
 * The agent's entry point ({@code Premain-Class} and {@code Agent-Class}). It is the only class
 * the system class loader loads from the agent jar: it puts the jar on the bootstrap class path
 * first, so the engine and the hooks are visible to instrumented JDK classes
 * ({@code java.util.concurrent.locks}) and application classes alike, then loads the installer
 * with the agent's own {@link AgentClassLoader} (the tooling is never on the boot class path)
 * and starts it.
 *
 * <p>Bad options or a malformed spec stop a JVM started with {@code -javaagent} at once, with one
 * line naming what is wrong and exit status 1; attaching to a running JVM throws instead, and the
 * running application is left alone.
 */
public final class Premain {

    private static final String INSTALLER = "io.jlockdep.agent.instrument.AgentInstaller";

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

    /** Attaching to a running JVM (the Attach API's {@code loadAgent}). */
    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    private static synchronized void start(String args, Instrumentation inst, boolean atStartup) {
        if (tooling == null) {
            File jar = ownJar();
            try {
                inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
                tooling = new AgentClassLoader(new JarFile(jar), jar.toURI().toURL());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot open the agent jar " + jar + ": " + e);
            }
        }
        try {
            Class<?> installer = Class.forName(INSTALLER, true, tooling);
            installer
                    .getMethod("install", String.class, Instrumentation.class, boolean.class)
                    .invoke(null, args, inst, atStartup);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the agent jar " + ownJar() + " is incomplete: " + e);
        }
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
