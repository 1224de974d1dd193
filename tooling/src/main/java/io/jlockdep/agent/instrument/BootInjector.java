package io.jlockdep.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Puts the agent's bootstrap part (the API, the engine, the hooks, the sinks: the classes the
 * jar's index {@value #INDEX} lists) into the
 * boot class loader, so that instrumented JDK classes reach the hooks, without appending the jar
 * to the boot class path. Appending it would make the JVM turn class-data sharing off for every
 * class outside the boot loader ("Sharing is only supported for boot loader classes because
 * bootstrap classpath has been appended"), in every checked JVM.
 *
 * <p>The classes are defined eagerly, supertypes first, with the JDK's internal
 * {@code Unsafe.defineClass} and a null loader, which is how the JDK defines boot classes of its
 * own at run time. Its package is exported to the agent's own class loader only, never to the
 * application. Where that is not possible (a JDK without it), {@link #inject} says no and the
 * caller appends the jar as before.
 */
public final class BootInjector {

    /**
     * The list of the bootstrap part's class files in the jar: every class at the root under
     * {@code io/jlockdep/} but the launcher and the command-line tools (agent/pom.xml writes it).
     */
    static final String INDEX = "META-INF/jlockdep/boot-classes";

    private BootInjector() {}

    /**
     * Defines the bootstrap part of {@code jar} in the boot class loader.
     *
     * @return the number of classes defined, or -1 when this JVM does not allow it (nothing was
     *     defined; the caller falls back to the boot class path)
     * @throws IllegalStateException when the jar is unreadable or a class cannot be defined
     */
    public static int inject(JarFile jar, Instrumentation inst) {
        Method define;
        Object unsafe;
        try {
            Module javaBase = Object.class.getModule();
            inst.redefineModule(
                    javaBase,
                    Set.of(),
                    Map.of("jdk.internal.misc", Set.of(BootInjector.class.getModule())),
                    Map.of(),
                    Set.of(),
                    Map.of());
            Class<?> type = Class.forName("jdk.internal.misc.Unsafe");
            unsafe = type.getMethod("getUnsafe").invoke(null);
            define = type.getMethod(
                    "defineClass",
                    String.class,
                    byte[].class,
                    int.class,
                    int.class,
                    ClassLoader.class,
                    ProtectionDomain.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
        Map<String, byte[]> pending = bootClasses(jar);
        int defined = 0;
        // Supertypes first: a class whose superclass or interface is not defined yet fails with
        // NoClassDefFoundError and nothing of it is kept; it is tried again in the next round.
        while (!pending.isEmpty()) {
            Map<String, byte[]> later = new TreeMap<>();
            Throwable lastFailure = null;
            for (Map.Entry<String, byte[]> c : pending.entrySet()) {
                byte[] bytes = c.getValue();
                try {
                    define.invoke(unsafe, c.getKey(), bytes, 0, bytes.length, null, null);
                    defined++;
                } catch (InvocationTargetException e) {
                    if (!(e.getCause() instanceof NoClassDefFoundError)) {
                        throw new IllegalStateException(
                                "cannot define " + c.getKey() + " in the boot class loader: " + e.getCause(),
                                e.getCause());
                    }
                    later.put(c.getKey(), bytes);
                    lastFailure = e.getCause();
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot define " + c.getKey() + ": " + e, e);
                }
            }
            if (later.size() == pending.size()) {
                if (lastFailure != null && ofAbsentModule(lastFailure.getMessage())) {
                    // the extras of a module this runtime lacks (jlink'ed without jdk.jfr or
                    // java.management): left out; the installer says so, and never touches them
                    break;
                }
                throw new IllegalStateException(
                        "the agent jar's classes " + later.keySet() + " cannot be defined: " + lastFailure,
                        lastFailure);
            }
            pending = later;
        }
        return defined;
    }

    /**
     * Whether a missing class ({@code jdk/jfr/Event}) belongs to an optional JDK module this
     * runtime does not have: {@code jdk.jfr} or {@code java.management}.
     */
    static boolean ofAbsentModule(String missingClass) {
        if (missingClass == null) {
            return false;
        }
        String name = missingClass.replace('/', '.');
        if (name.startsWith("jdk.jfr.")) {
            return ModuleLayer.boot().findModule("jdk.jfr").isEmpty();
        }
        if (name.startsWith("java.lang.management.") || name.startsWith("javax.management.")) {
            return ModuleLayer.boot().findModule("java.management").isEmpty();
        }
        return false;
    }

    /**
     * The bootstrap part's class files, by binary name, as the jar's index lists them (written by
     * the build: listing the jar's entries at start-up cost every checked JVM about 25 ms).
     */
    private static Map<String, byte[]> bootClasses(JarFile jar) {
        Map<String, byte[]> out = new TreeMap<>();
        try {
            JarEntry index = jar.getJarEntry(INDEX);
            if (index == null) {
                throw new IllegalStateException("the agent jar " + jar.getName() + " has no " + INDEX
                        + ": it was not built by jlockdep's build");
            }
            String list;
            try (InputStream in = jar.getInputStream(index)) {
                list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            for (String line : list.split("\n")) { // one character: no regular expression before main
                String name = line.strip();
                if (name.isEmpty()) {
                    continue;
                }
                JarEntry entry = jar.getJarEntry(name);
                if (entry == null || !name.endsWith(".class")) {
                    throw new IllegalStateException("the agent jar " + jar.getName() + " lists " + name + " in " + INDEX
                            + " but has no such class file");
                }
                try (InputStream in = jar.getInputStream(entry)) {
                    out.put(name.substring(0, name.length() - ".class".length()).replace('/', '.'), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the agent jar " + jar.getName() + ": " + e, e);
        }
        return out;
    }
}
