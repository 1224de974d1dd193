package io.jlockdep.agent.instrument;

import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * Java monitors: {@code synchronized} methods, {@code synchronized} blocks and {@code Object.wait}
 * calls, rewritten by {@link MonitorTransformer} in the application's classes that have them, and
 * in the JDK classes whose monitors application code takes by calling them ({@link #JDK_CLASSES}:
 * {@code Hashtable}, {@code Vector}, {@code StringBuffer}, the synchronized wrappers, {@code java.io}
 * streams, {@code java.util.logging}...), as the kernel's lockdep sees core code's locks too. Hooks:
 * {@code MonitorHooks}.
 */
final class Monitors implements LockFamily {

    /** Package prefixes whose monitors are not tracked: frameworks around the user's code, not in it. */
    static final List<String> NOT_MONITORED = List.of(
            "io.jlockdep.agent.",
            "io.jlockdep.api.",
            "io.jlockdep.shaded.",
            "io.jlockdep.resv.",
            "org.junit.",
            "org.opentest4j.",
            "org.apiguardian.",
            "org.apache.maven.",
            "org.slf4j.",
            "ch.qos.logback.",
            "org.apache.logging.log4j.");

    /**
     * The JDK classes whose monitors are tracked (a name: the class and its nested classes; a name
     * ending in {@code .}: a package; one with a {@code $}: a prefix of nested classes' names): the JDK classes whose monitors are
     * those the application calls into and that call back out (a key's {@code equals}, an
     * element's {@code toString}, a handler's formatter) or into each other ({@code a.equals(b)} on
     * two {@code Hashtable}s), so that the application can put their monitors in a cycle. Not the
     * rest of the JDK: its other monitors are its own internals, taken in an order it fixes.
     */
    static final List<String> JDK_CLASSES = List.of(
            "java.util.Hashtable",
            "java.util.Properties",
            "java.util.Vector",
            "java.util.Stack",
            "java.util.Collections$Synchronized",
            "java.util.Observable",
            "java.util.Timer",
            "java.util.TimerThread",
            "java.util.TaskQueue",
            "java.util.TimerTask",
            "java.util.logging.",
            "java.lang.ClassLoader",
            "java.lang.StringBuffer",
            "java.io.PrintStream",
            "java.io.PrintWriter",
            "java.io.Writer",
            "java.io.Reader",
            "java.io.BufferedWriter",
            "java.io.BufferedReader",
            "java.io.LineNumberReader",
            "java.io.OutputStreamWriter",
            "java.io.InputStreamReader",
            "java.io.FilterReader",
            "java.io.FilterWriter",
            "java.io.PushbackReader",
            "java.io.CharArrayWriter",
            "java.io.CharArrayReader",
            "java.io.StringReader",
            "java.io.InputStream",
            "java.io.FilterInputStream",
            "java.io.FilterOutputStream",
            "java.io.BufferedInputStream",
            "java.io.BufferedOutputStream",
            "java.io.PushbackInputStream",
            "java.io.ByteArrayInputStream",
            "java.io.ByteArrayOutputStream",
            "java.io.PipedInputStream",
            "java.io.PipedOutputStream",
            "java.io.PipedReader",
            "java.io.PipedWriter",
            "sun.nio.cs.StreamEncoder",
            "sun.nio.cs.StreamDecoder");

    private final Notices notices;

    Monitors(Notices notices) {
        this.notices = notices;
    }

    /** The retransformation of the JDK classes loaded before the agent, at start-up, or null. */
    private Thread jdkClasses;

    @Override
    public void installed(Instrumentation inst, boolean atStartup) {
        inst.addTransformer(new MonitorTransformer(notices), true);
        if (!atStartup) {
            MonitorTransformer.retransformLoaded(inst);
        } else {
            // on a thread of its own: the class files are rewritten while the premain thread
            // retransforms the lock classes (about 50 ms of start-up each, on a cold JVM)
            jdkClasses = new Thread(new RetransformJdkClasses(inst), "jlockdep-retransform");
            jdkClasses.setDaemon(true);
            jdkClasses.start();
        }
    }

    @Override
    public void awaitInstalled() {
        Thread t = jdkClasses;
        if (t == null) {
            return;
        }
        jdkClasses = null;
        awaitJdkClasses(t, JDK_CLASSES_WAIT_NANOS);
    }

    /** Waits up to {@code waitNanos} for the JDK classes' rewrite {@code t}; past that, a notice and on. */
    void awaitJdkClasses(Thread t, long waitNanos) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + waitNanos;
        while (t.isAlive() && System.nanoTime() < deadline) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true; // start-up finishes its work; the interrupt is kept for the caller
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            // the agent never hangs the application's start: it goes on, and says so
            notices.notice(
                    "jlockdep: rewriting the JDK classes whose monitors are tracked (Hashtable, PrintStream...) took"
                            + " more than " + waitNanos / 1_000_000L + " ms; the application starts"
                            + " now, and their monitors are tracked once it finishes",
                    false);
        }
    }

    /** How long start-up waits for the JDK classes' rewrite (about 50 ms on a cold JVM) before going on. */
    private static final long JDK_CLASSES_WAIT_NANOS = 30_000_000_000L;

    /** A named class, not a lambda: no lambda is spun while the JDK's classes are retransformed. */
    private static final class RetransformJdkClasses implements Runnable {
        private final Instrumentation inst;

        RetransformJdkClasses(Instrumentation inst) {
            this.inst = inst;
        }

        @Override
        public void run() {
            MonitorTransformer.retransformJdkClasses(inst);
        }
    }

    /**
     * Whether the monitors of a class (binary name) defined by {@code loader} are tracked: a JDK
     * class of {@link #JDK_CLASSES} on the boot or platform loader, an application class outside
     * {@link #NOT_MONITORED} on any other.
     */
    static boolean tracked(ClassLoader loader, String name) {
        return jdkLoader(loader) ? jdkMonitored(name) : monitoredName(name);
    }

    /** Whether {@code loader} defines the JDK's classes (the boot or the platform loader). */
    static boolean jdkLoader(ClassLoader loader) {
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }

    /** Whether a JDK class (binary name) is one whose monitors are tracked ({@link #JDK_CLASSES}). */
    static boolean jdkMonitored(String name) {
        for (String prefix : JDK_CLASSES) {
            if (name.startsWith(prefix)) {
                int end = prefix.length();
                if (prefix.endsWith(".")
                        || prefix.indexOf('$') >= 0
                        || name.length() == end
                        || name.charAt(end) == '$') {
                    return true; // the class or a nested class of it; a package; a family of nested classes
                }
            }
        }
        return false;
    }

    /** Whether an application class (binary name) is one whose monitors are tracked. */
    static boolean monitoredName(String name) {
        if (name.startsWith("java.")
                || name.startsWith("javax.")
                || name.startsWith("jdk.")
                || name.startsWith("sun.")
                || name.startsWith("com.sun.")) {
            return false; // JDK classes on the application or platform loaders
        }
        for (String prefix : NOT_MONITORED) {
            if (name.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }
}
