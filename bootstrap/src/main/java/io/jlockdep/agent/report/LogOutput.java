package io.jlockdep.agent.report;

import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Where reports are printed: the application's SLF4J (logger {@code io.jlockdep}, level WARN)
 * when it has a provider, else stderr. SLF4J is looked up reflectively through the system class
 * loader on the first message (the agent sits on the boot class path and cannot link against the
 * application's SLF4J); reports are rare, so this never touches a lock's fast path.
 */
public final class LogOutput {

    /** Where messages go (the agent's option {@code log}). */
    public enum Mode {
        AUTO,
        SLF4J,
        STDERR,
        OFF
    }

    private final Mode mode;
    private final PrintStream stderr;
    private volatile MethodHandle warn;
    private volatile boolean resolved;

    public LogOutput(Mode mode, PrintStream stderr) {
        this.mode = mode;
        this.stderr = stderr;
    }

    /** Whether SLF4J with a provider can be found on the system class path (for log=slf4j at start). */
    public static boolean slf4jPresent() {
        return ClassLoader.getSystemClassLoader().getResource("org/slf4j/LoggerFactory.class") != null;
    }

    /**
     * A message that must be seen whatever {@code log} says (the agent itself failed at something
     * the user relies on): printed as {@link #warn} does, and on stderr when logging is off.
     */
    public void alert(String text) {
        if (mode == Mode.OFF) {
            synchronized (stderr) {
                stderr.println(text);
                stderr.flush();
            }
        } else {
            warn(text);
        }
    }

    public void warn(String text) {
        if (mode == Mode.OFF) {
            return;
        }
        MethodHandle h = mode == Mode.STDERR ? null : slf4j();
        if (h != null) {
            try {
                h.invokeExact(text);
                return;
            } catch (Throwable e) {
                warn = null; // fall back to stderr from now on
            }
        }
        synchronized (stderr) {
            stderr.println(text);
            stderr.flush();
        }
    }

    private MethodHandle slf4j() {
        if (resolved) {
            return warn;
        }
        synchronized (this) {
            if (!resolved) {
                warn = lookup(mode == Mode.SLF4J);
                resolved = true;
            }
        }
        return warn;
    }

    private static MethodHandle lookup(boolean evenWithoutProvider) {
        try {
            ClassLoader app = ClassLoader.getSystemClassLoader();
            Class<?> factory = Class.forName("org.slf4j.LoggerFactory", true, app);
            Object iLoggerFactory = factory.getMethod("getILoggerFactory").invoke(null);
            String name = iLoggerFactory.getClass().getName();
            if (!evenWithoutProvider && (name.contains("NOP") || name.contains("Substitute"))) {
                return null; // SLF4J without a provider: nobody would see the report
            }
            Object logger = factory.getMethod("getLogger", String.class).invoke(null, "io.jlockdep");
            Class<?> loggerType = Class.forName("org.slf4j.Logger", false, app);
            MethodHandle h = MethodHandles.publicLookup()
                    .findVirtual(loggerType, "warn", MethodType.methodType(void.class, String.class));
            return h.bindTo(logger).asType(MethodType.methodType(void.class, String.class));
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }
}
